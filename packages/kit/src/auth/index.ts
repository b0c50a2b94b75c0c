export * from './assertion';
export * from './authorization';
export * from './acting-actor';
export * from './compact-jwt';
