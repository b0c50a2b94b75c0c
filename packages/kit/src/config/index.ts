export * from './config';
export * from './development-secrets';
export * from './service-config';
