import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './logger';

const LEVEL_NAMES: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

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
        // A fresh broker answers "coordinator loading" for a few seconds; kafkajs retries it.
        if (level === logLevel.ERROR && /coordinator is (loading|not available)/i.test(message)) return;
        kafkaLogger[LEVEL_NAMES[level] ?? 'info']({ namespace: rest.namespace, broker: rest['broker'] }, message);
      },
  });
}
