import { openServiceRuntime, parseServiceConfig, runService, stopOnSignals } from '@messngr/kit';
import { AUDIT_DEFAULT_PORT, createAuditService } from './server';

async function main(): Promise<void> {
  const runtime = await openServiceRuntime(parseServiceConfig('audit', AUDIT_DEFAULT_PORT));
  const service = await runService(runtime, await createAuditService(runtime));
  stopOnSignals(service, runtime.logger);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
