import type { Caller } from '@messngr/kit/auth';

export interface GatewayContext {
  caller: Caller;
  correlationId: string;
}
