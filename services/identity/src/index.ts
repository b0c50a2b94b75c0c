import { runServiceProcess } from '@messngr/kit';
import { parseIdentityConfig } from './config';
import { createIdentityService } from './server';

runServiceProcess(() => parseIdentityConfig(), createIdentityService);
