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
export { startInfrastructure, type InfrastructureOptions, type RunningInfrastructure } from './infrastructure';
export { createTopics, type TopicSpec } from './topics';
