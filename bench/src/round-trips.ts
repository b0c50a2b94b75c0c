import type { mongo } from 'mongoose';

/** Who sent a command: the request being answered, or work beside requests. */
export type Origin = 'request' | 'courier' | 'relay' | 'consumer' | 'other';
export const ORIGINS: readonly Origin[] = ['request', 'courier', 'relay', 'consumer', 'other'];

export interface RecordedCommand {
  /** e.g. `find`, `insert`, `update`, `findAndModify`, `aggregate` (countDocuments). */
  name: string;
  /** The collection it names, or `-` for commands on the database (ping, buildInfo). */
  collection: string;
  origin: Origin;
  /** Sent to refill a short-lived cache (tenants, signing keys): a cost spread over many operations. */
  cached: boolean;
  /** The command as sent, without its session fields, when recording with bodies. */
  body?: mongo.Document;
  /** It did not do what it asked (an insert refused as a duplicate, a guarded update that matched nothing), when recording with bodies. */
  refused?: boolean;
}

/** Where the driver's command carries its session and cluster state, not the operation. */
const SESSION_FIELDS = ['lsid', '$db', '$clusterTime', '$readPreference', 'txnNumber', 'autocommit'];
/** Methods that refill a cache: what they send is spread over every operation the cache serves. */
const CACHE_REFILLS = new Set(['findCached', 'findBySlug', 'cachedKeyring']);

/**
 * Which code sent the command, from the async call stack at the driver's `commandStarted`
 * (emitted synchronously inside the awaited send, so the awaiting use-case, courier or relay
 * is on it). Work a request merely nudged (the courier, the outbox relay) runs in that
 * request's async context, so the stack, not the async context, tells them apart.
 */
function originOfCurrentCall(): { origin: Origin; cached: boolean } {
  const previousPrepare = Error.prepareStackTrace;
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  Error.prepareStackTrace = (_error, sites) => sites;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder);
  const sites = holder.stack ?? [];
  Error.prepareStackTrace = previousPrepare;
  Error.stackTraceLimit = previousLimit;
  const files = sites.map((site) => site.getFileName() ?? '');
  const any = (part: string) => files.some((file) => file.includes(part));
  const cached = sites.some((site) => CACHE_REFILLS.has(site.getMethodName() ?? site.getFunctionName() ?? ''));
  if (any('login-code-courier')) return { origin: 'courier', cached };
  if (any('outbox-relay')) return { origin: 'relay', cached };
  if (any('event-consumer') || any('events-handler')) return { origin: 'consumer', cached };
  if (any('/resolvers/') || any('/use-cases/')) return { origin: 'request', cached };
  return { origin: 'other', cached };
}

/** The MongoDB commands a client sends while recording, from the driver's command monitoring, each with its origin. */
export class CommandRecorder {
  readonly #client: mongo.MongoClient;
  readonly #classify: boolean;
  readonly #commands: RecordedCommand[] = [];
  readonly #pending = new Map<number, RecordedCommand>();
  #bodies = false;
  readonly #listener = (event: mongo.CommandStartedEvent) => {
    const target = event.command[event.commandName] as unknown;
    const { origin, cached } = this.#classify ? originOfCurrentCall() : { origin: 'request' as const, cached: false };
    const command: RecordedCommand = {
      name: event.commandName,
      collection: typeof target === 'string' ? target : '-',
      origin,
      cached,
    };
    if (this.#bodies) {
      const body = structuredClone(event.command);
      for (const field of SESSION_FIELDS) delete body[field];
      command.body = body;
      command.refused = false;
      this.#pending.set(event.requestId, command);
    }
    this.#commands.push(command);
  };
  readonly #succeeded = (event: mongo.CommandSucceededEvent) => {
    const command = this.#pending.get(event.requestId);
    if (!command) return;
    this.#pending.delete(event.requestId);
    const reply = event.reply as { writeErrors?: unknown[]; n?: number };
    command.refused = (reply.writeErrors?.length ?? 0) > 0 || (command.name === 'update' && reply.n === 0);
  };
  readonly #failed = (event: mongo.CommandFailedEvent) => {
    const command = this.#pending.get(event.requestId);
    if (!command) return;
    this.#pending.delete(event.requestId);
    command.refused = true;
  };

  /**
   * The client must have been created with `monitorCommands` (e.g. `?monitorCommands=true`
   * in its URI). `classify: false` takes every command as the request's (a replay's client).
   */
  constructor(client: mongo.MongoClient, { classify = true }: { classify?: boolean } = {}) {
    if (!client.options.monitorCommands) {
      throw new Error('command monitoring is off for this client: add monitorCommands=true to MONGODB_URI');
    }
    this.#client = client;
    this.#classify = classify;
  }

  /** `bodies`: keep each command as sent (for a replay). */
  start({ bodies = false }: { bodies?: boolean } = {}): void {
    this.#bodies = bodies;
    this.stop();
    this.#client.on('commandStarted', this.#listener);
    if (bodies) {
      this.#client.on('commandSucceeded', this.#succeeded);
      this.#client.on('commandFailed', this.#failed);
    }
  }

  /** Stops recording and returns what was recorded since the last take. */
  take(): RecordedCommand[] {
    this.stop();
    this.#pending.clear();
    return this.#commands.splice(0);
  }

  private stop(): void {
    this.#client.off('commandStarted', this.#listener);
    this.#client.off('commandSucceeded', this.#succeeded);
    this.#client.off('commandFailed', this.#failed);
  }
}

/** `name collection` → count, in first-seen order. */
export function tally(commands: RecordedCommand[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const command of commands) {
    const key = `${command.name} ${command.collection}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Commands per operation, by origin and by `name collection`. */
export interface RoundTrips {
  operations: number;
  /** Operations that failed (their commands are counted too). */
  failures: number;
  seconds: number;
  /** Per operation, by origin; background origins net of idle polling. */
  perOperation: Record<Origin, number>;
  /** Per operation, `name collection` → count, by origin (raw, idle polling included). */
  detail: Record<Origin, Map<string, number>>;
}

/** Commands per second by origin with no traffic at all: the pollers (relay, courier, schedules). */
export async function idleRate(recorder: CommandRecorder, seconds: number): Promise<Record<Origin, number>> {
  recorder.start();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const commands = recorder.take();
  return Object.fromEntries(
    ORIGINS.map((origin) => [origin, commands.filter((c) => c.origin === origin).length / seconds]),
  ) as Record<Origin, number>;
}

/**
 * Records while `run` performs operations (it says how many), then `settleMs` longer so the
 * background work they caused (code delivery, event relay) is recorded too; background counts
 * are net of the idle polling that would have happened in that time anyway.
 */
export async function countRoundTrips(
  recorder: CommandRecorder,
  idle: Record<Origin, number>,
  run: () => Promise<{ operations: number; failures: number }>,
  settleMs = 1_500,
): Promise<RoundTrips> {
  const started = performance.now();
  recorder.start();
  const { operations, failures } = await run();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const commands = recorder.take();
  const seconds = (performance.now() - started) / 1000;
  const perOperation = {} as Record<Origin, number>;
  const detail = {} as Record<Origin, Map<string, number>>;
  for (const origin of ORIGINS) {
    const mine = commands.filter((command) => command.origin === origin);
    const net = origin === 'request' ? mine.length : Math.max(0, mine.length - idle[origin] * seconds);
    perOperation[origin] = net / operations;
    detail[origin] = new Map([...tally(mine)].map(([key, count]) => [key, count / operations]));
  }
  return { operations, failures, seconds, perOperation, detail };
}

/** `find sessions ×1.00, insert aggregate_write_claims ×1.00`: a detail map as one line. */
export function describe(counts: Map<string, number>, { minimum = 0.005 }: { minimum?: number } = {}): string {
  const parts = [...counts].filter(([, count]) => count >= minimum).map(([key, count]) => `${key} ×${count.toFixed(2)}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** `monitorCommands=true` added to a MongoDB URI: the driver's standard opt-in to command monitoring. */
export function withCommandMonitoring(uri: string): string {
  if (/[?&]monitorCommands=/i.test(uri)) return uri;
  const [base = uri, query] = uri.split('?', 2);
  const scheme = base.indexOf('://') + 3;
  // The options follow the path slash: `mongodb://host:port/db?options`.
  const withPath = base.indexOf('/', scheme) === -1 ? `${base}/` : base;
  return `${withPath}?${query ? `${query}&` : ''}monitorCommands=true`;
}
