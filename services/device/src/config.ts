import { z } from 'zod';
import { parseEnv, parseServiceConfig, type ServiceConfig } from '@messngr/kit/config';
import { DEFAULT_MAX_ACTIVE_DEVICES } from './domain/device-slots';

export interface DeviceConfig extends ServiceConfig {
  /** At most this many devices of one account are active at once; registering another is DEVICE_LIMIT_REACHED. */
  maxActiveDevicesPerAccount: number;
}

const deviceEnvShape = {
  DEVICE_MAX_ACTIVE_PER_ACCOUNT: z.coerce.number().int().min(1).max(1000).default(DEFAULT_MAX_ACTIVE_DEVICES),
};

/** Variables the device subgraph reads beyond every subgraph's. */
export const DEVICE_ENV_VARIABLES: readonly string[] = Object.keys(deviceEnvShape);

export function parseDeviceConfig(rawEnv: NodeJS.ProcessEnv = process.env): DeviceConfig {
  const service = parseServiceConfig('device', rawEnv);
  const own = parseEnv(deviceEnvShape, rawEnv);
  return { ...service, maxActiveDevicesPerAccount: own.DEVICE_MAX_ACTIVE_PER_ACCOUNT };
}
