import { openServiceRuntime, parseServiceConfig, runService, stopOnSignals } from '@messngr/kit';
import { createDeviceService, DEVICE_DEFAULT_PORT } from './server';

async function main(): Promise<void> {
  const runtime = await openServiceRuntime(parseServiceConfig('device', DEVICE_DEFAULT_PORT));
  const service = await runService(runtime, await createDeviceService(runtime));
  stopOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
