export * from './assertion';
export * from './authorization';
