export { ensureInfrastructureBuilt } from './build';
export {
  devInfrastructureStatus,
  startDevInfrastructure,
  stopDevInfrastructure,
  DEV_PORTS,
  type DevInfrastructureOptions,
  type DevInfrastructureState,
  type DevInfrastructureStatus,
} from './dev-stack';
export { startDisposableMongo, type DisposableMongo, type DisposableMongoOptions } from './disposable-mongo';
export { startInfrastructure, type InfrastructureOptions, type RunningInfrastructure } from './infrastructure';
