export * from './clock';
export * from './display-text';
export * from './ids';
export * from './platform';
export * from './repo-paths';
export * from './secret-box';
export * from './tenant-id';
