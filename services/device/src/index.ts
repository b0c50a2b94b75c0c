import { parseServiceConfig, runServiceProcess } from '@messngr/kit';
import { createDeviceService, DEVICE_DEFAULT_PORT } from './server';

runServiceProcess(() => parseServiceConfig('device', DEVICE_DEFAULT_PORT), createDeviceService);
