import { createLogger } from '@messngr/kit/logging';
import { createGateway, DEFAULT_SUPERGRAPH_PATH, parseGatewayConfig } from './server';

async function main(): Promise<void> {
  const config = parseGatewayConfig(process.env, DEFAULT_SUPERGRAPH_PATH);
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const gateway = await createGateway(config, logger);
  const listening = await gateway.listen();
  logger.info({ url: `${listening.url}/graphql`, adminUrl: listening.adminUrl }, 'gateway listening');
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void Promise.all([listening.close(), gateway.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
