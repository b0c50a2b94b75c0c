import pino, { type DestinationStream, type Logger } from 'pino';
import { redactDeep } from './redact';
import { activeTraceIds } from '../tracing/spans';
import { currentRequestContext } from './request-context';

export type { Logger } from 'pino';
export { REDACTED_KEYS } from './redact';

export interface LoggerOptions {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

/**
 * JSON lines with the correlation id of the request or event being handled (and its
 * `traceId` / `spanId` when a span is active); secrets redacted at any depth.
 */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // pino's own `redact` takes fixed paths; secrets can sit at any depth, under any header name.
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
      mixin() {
        const context = currentRequestContext();
        const ids = activeTraceIds();
        return { ...(context ? { correlationId: context.correlationId } : {}), ...ids };
      },
    },
    destination,
  );
}
