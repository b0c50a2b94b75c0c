import { openServiceRuntime, parseServiceConfig, runService, stopOnSignals } from '@messngr/kit';
import { createTenantService, TENANT_DEFAULT_PORT } from './server';

async function main(): Promise<void> {
  const runtime = await openServiceRuntime(parseServiceConfig('tenant', TENANT_DEFAULT_PORT));
  const service = await runService(runtime, await createTenantService(runtime));
  stopOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
