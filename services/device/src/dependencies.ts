import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import type { SubgraphRuntime } from '@messngr/kit/subgraph';
import { accountReplicaModel } from './persistence/account-replica.model';
import { AccountReplicaRepository } from './persistence/account-replica.repository';
import { deviceModel } from './persistence/device.model';
import { DeviceRepository } from './persistence/device.repository';

export interface DeviceDependencies {
  devices: DeviceRepository;
  accounts: AccountReplicaRepository;
  clock: Clock;
  logger: Logger;
}

export function createDeviceDependencies(runtime: SubgraphRuntime): DeviceDependencies {
  return {
    devices: new DeviceRepository(deviceModel(runtime.connection), runtime.outboxes),
    accounts: new AccountReplicaRepository(accountReplicaModel(runtime.connection)),
    clock: runtime.clock,
    logger: runtime.logger,
  };
}
