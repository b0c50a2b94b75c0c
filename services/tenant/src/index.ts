import { runServiceProcess } from '@messngr/kit';
import { parseTenantConfig } from './config';
import { createTenantService } from './server';

runServiceProcess(() => parseTenantConfig(), createTenantService);
