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
export {
  DEV_MAILBOX_PORTS,
  readDevMailbox,
  startDevMailbox,
  type DevMailbox,
  type DevMailboxOptions,
  type MailboxMessage,
} from './dev-mailbox';
export { startDisposableMongo, type DisposableMongo, type DisposableMongoOptions } from './disposable-mongo';
export { startInfrastructure, type InfrastructureOptions, type RunningInfrastructure } from './infrastructure';
