import { EventContractViolation } from '@messngr/contracts';

/**
 * A handler's refusal that no retry can change (a rule refuses the event): the event is
 * parked on the dead-letter topic at once, with this message as the reason.
 */
export class PermanentEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

export type FailureKind = 'permanent' | 'transient' | 'unexpected';

// By name, so this module needs neither driver: the MongoDB driver's and mongoose's
// "server unreachable" errors, and kafkajs' connection errors.
const TRANSIENT_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
]);
const TRANSIENT_LABELS = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError', 'NoWritesPerformed'];

/**
 * How a consumer treats a failure: permanent ones are parked at once; transient ones (a
 * database or broker out of reach) are retried for as long as it takes, since the event
 * will succeed once the server is back; anything else is retried a few times, then parked.
 */
export function failureKind(error: unknown): FailureKind {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    if (current instanceof PermanentEventError || current instanceof EventContractViolation) return 'permanent';
    const { name, errorLabels, cause } = current as { name?: unknown; errorLabels?: unknown; cause?: unknown };
    if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return 'transient';
    if (Array.isArray(errorLabels) && errorLabels.some((label) => TRANSIENT_LABELS.includes(String(label)))) return 'transient';
    current = cause;
  }
  return 'unexpected';
}
