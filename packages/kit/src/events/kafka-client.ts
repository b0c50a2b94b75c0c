import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../logging/logger';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * - A fresh broker answers "coordinator loading / not available" for a few seconds; kafkajs retries.
 * - "Limiting retries for the idempotent producer": delivery is at least once by design
 *   (consumers deduplicate by event id), so bounded retries are what we want.
 */
function isExpectedNoise(level: number, message: string, error: unknown): boolean {
  if (/Limiting retries for the idempotent producer/.test(message)) return true;
  const detail = `${message} ${typeof error === 'string' ? error : ''}`;
  return (
    level === logLevel.ERROR &&
    /coordinator is (loading|not available)|COORDINATOR_(LOAD_IN_PROGRESS|NOT_AVAILABLE)/i.test(detail)
  );
}

export function createKafka(options: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  const kafkaLogger = options.logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 10 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        if (isExpectedNoise(level, message, rest['error'])) return;
        kafkaLogger[LEVEL_NAMES[level] ?? 'info'](
          { namespace: rest.namespace, broker: rest['broker'], error: rest['error'] },
          message,
        );
      },
  });
}
