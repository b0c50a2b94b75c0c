export * from './aggregate';
export * from './aggregate-store';
export * from './conditional-write';
export * from './duplicate-key';
export * from './mongo';
export * from './replica-store';
export * from './tenant-scope';
export * from './tenant-scoped-store';
export type { AggregateCollectionOptions } from './aggregate-collection';
