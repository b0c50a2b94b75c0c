import { parseServiceConfig, type ServiceConfig } from '@messngr/kit/config';

export type AuditConfig = ServiceConfig;

/** The audit subgraph reads only what every subgraph reads. */
export function parseAuditConfig(rawEnv: NodeJS.ProcessEnv = process.env): AuditConfig {
  return parseServiceConfig('audit', rawEnv);
}
