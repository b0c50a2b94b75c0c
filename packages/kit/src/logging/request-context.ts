import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

export interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps a caller-supplied correlation id only when it is short and inert; otherwise makes one. */
export function correlationIdFrom(value: unknown): string {
  return typeof value === 'string' && SAFE_CORRELATION_ID.test(value) ? value : randomUUID();
}
