export * from './define-subgraph';
export * from './subgraph-runtime';
export * from './subgraph-server';
export * from './periodic-worker';
export * from './rest-routes';
