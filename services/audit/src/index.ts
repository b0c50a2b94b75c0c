import { parseServiceConfig, runServiceProcess } from '@messngr/kit';
import { AUDIT_DEFAULT_PORT, createAuditService } from './server';

runServiceProcess(() => parseServiceConfig('audit', AUDIT_DEFAULT_PORT), createAuditService);
