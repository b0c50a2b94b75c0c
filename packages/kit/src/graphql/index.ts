export * from './cursor-page';
export * from './error-formatter';
export * from './hardened-apollo-options';
export * from './request-limits';
export * from './token-limit';
