import type { Caller } from '@messngr/kit';

export interface GatewayContext {
  caller: Caller;
  correlationId: string;
}
