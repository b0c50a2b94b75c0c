import { openServiceRuntime, runService, stopOnSignals } from '@messngr/kit';
import { parseIdentityConfig } from './config';
import { createIdentityService } from './server';

async function main(): Promise<void> {
  const config = parseIdentityConfig();
  const runtime = await openServiceRuntime(config);
  const service = await runService(runtime, await createIdentityService(runtime, config));
  stopOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
