import { newId, systemClock } from '@messngr/kit/core';
import { UNRELAYED_OUTBOXES } from '@messngr/kit/events';
import { createLogger } from '@messngr/kit/logging';
import { connectMongo, ensureIndexes } from '@messngr/kit/mongo';
import { parseIdentityConfig } from '../config';
import { createIdentityDependencies } from '../dependencies';
import { ensurePlatformAdmin } from '../use-cases/ensure-platform-admin';
import { ensurePlatformTenant } from '../use-cases/ensure-platform-tenant';

/**
 * `npm run cli -- admin-token`: ensures the development platform administrator exists and
 * mints a short-lived access token for it. It talks to the identity database directly, so
 * it is a development and test door only: refused in production, before touching anything.
 */
export async function mintDevelopmentAdminToken(env: NodeJS.ProcessEnv): Promise<string> {
  if (env['NODE_ENV'] === 'production') {
    throw new Error('admin-token is a development tool and is refused when NODE_ENV=production.');
  }
  const config = parseIdentityConfig(env);
  const connection = await connectMongo(config.mongoUri, config.mongoDatabase);
  try {
    const deps = createIdentityDependencies(
      { connection, clock: systemClock, outboxes: UNRELAYED_OUTBOXES, logger: createLogger({ service: 'cli', level: 'warn' }) },
      config,
    );
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
    return token;
  } finally {
    await connection.close();
  }
}
