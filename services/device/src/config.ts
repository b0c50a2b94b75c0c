import { parseServiceConfig, type ServiceConfig } from '@messngr/kit/config';

export type DeviceConfig = ServiceConfig;

/** The device subgraph reads only what every subgraph reads. */
export function parseDeviceConfig(rawEnv: NodeJS.ProcessEnv = process.env): DeviceConfig {
  return parseServiceConfig('device', rawEnv);
}
