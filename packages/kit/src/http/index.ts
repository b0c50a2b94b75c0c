export * from './http-app';
export * from './json-body-errors';
export * from './outbound-fetch';
export * from './cookie-relay';
export * from './revocation-signal';
