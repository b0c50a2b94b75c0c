import { z } from 'zod';
import { parseEnv, parseServiceConfig, type ServiceConfig } from '@messngr/kit/config';

export interface AuditConfig extends ServiceConfig {
  /** How often the retention sweep runs. */
  retentionSweepEveryMs: number;
  /** How many entries one delete of the sweep removes at most. */
  retentionBatchSize: number;
}

const auditEnvShape = {
  AUDIT_RETENTION_SWEEP_EVERY_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(60 * 60_000),
  AUDIT_RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
};

/** Variables the audit subgraph reads beyond every subgraph's. */
export const AUDIT_ENV_VARIABLES: readonly string[] = Object.keys(auditEnvShape);

export function parseAuditConfig(rawEnv: NodeJS.ProcessEnv = process.env): AuditConfig {
  const service = parseServiceConfig('audit', rawEnv);
  const own = parseEnv(auditEnvShape, rawEnv);
  return {
    ...service,
    retentionSweepEveryMs: own.AUDIT_RETENTION_SWEEP_EVERY_MS,
    retentionBatchSize: own.AUDIT_RETENTION_BATCH_SIZE,
  };
}
