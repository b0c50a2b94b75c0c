import type { Clock } from '@messngr/kit/core';
import type { Logger } from '@messngr/kit/logging';
import type { SubgraphRuntime } from '@messngr/kit/subgraph';
import type { DeviceConfig } from './config';
import { deviceMetrics, type DeviceMetrics } from './device-metrics';
import { accountReplicaModel } from './persistence/account-replica.model';
import { AccountReplicaRepository } from './persistence/account-replica.repository';
import { deviceSlotModel } from './persistence/device-slot.model';
import { DeviceSlotRepository } from './persistence/device-slot.repository';
import { deviceModel } from './persistence/device.model';
import { DeviceRepository } from './persistence/device.repository';

export interface DeviceDependencies {
  devices: DeviceRepository;
  slots: DeviceSlotRepository;
  accounts: AccountReplicaRepository;
  /** The most active devices one account may have. */
  maxActiveDevices: number;
  clock: Clock;
  logger: Logger;
  metrics: DeviceMetrics;
}

export function createDeviceDependencies(runtime: SubgraphRuntime, config: DeviceConfig): DeviceDependencies {
  return {
    devices: new DeviceRepository(deviceModel(runtime.connection), runtime.outboxes),
    slots: new DeviceSlotRepository(deviceSlotModel(runtime.connection)),
    accounts: new AccountReplicaRepository(accountReplicaModel(runtime.connection)),
    maxActiveDevices: config.maxActiveDevicesPerAccount,
    clock: runtime.clock,
    logger: runtime.logger,
    metrics: deviceMetrics(runtime.metrics),
  };
}
