import { connectMongo, ensureIndexes, newId, systemClock } from '@messngr/kit';
import { parseIdentityConfig } from '../config';
import { createIdentityDependencies } from '../identity-dependencies';
import { ensurePlatformAdmin } from '../use-cases/ensure-platform-admin';
import { ensurePlatformTenant } from '../use-cases/ensure-platform-tenant';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  admin-token   Ensure the development platform administrator exists and print a
                short-lived access token for it (stdout: the token only).`;

/**
 * The operator CLI. It talks to the identity database directly, so it is a development
 * and test door only: refused when NODE_ENV=production.
 */
async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command !== 'admin-token') {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  if (process.env['NODE_ENV'] === 'production') {
    process.stderr.write('admin-token is a development tool and is refused when NODE_ENV=production.\n');
    return 1;
  }
  const config = parseIdentityConfig();
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  try {
    const deps = createIdentityDependencies({ connection, clock: systemClock }, config, () => undefined);
    await ensureIndexes(connection);
    await ensurePlatformTenant(deps);
    const admin = await ensurePlatformAdmin(deps);
    const { token } = await deps.tokens.issue({
      tenantId: admin.tenantId,
      accountId: admin._id,
      sessionId: newId('ses'),
      roles: admin.roles,
      clientId: 'messngr-cli',
    });
    process.stdout.write(`${token}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
