import { parseServiceConfig, runServiceProcess } from '@messngr/kit';
import { createTenantService, TENANT_DEFAULT_PORT } from './server';

runServiceProcess(() => parseServiceConfig('tenant', TENANT_DEFAULT_PORT), createTenantService);
