import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface MailboxMessage {
  kind: 'email' | 'sms';
  to: string;
  from?: string;
  subject?: string;
  text: string;
  receivedAt: string;
}

export interface DevMailboxOptions {
  /** When set, every message is also written there as one JSON file (see `readDevMailbox`). */
  dir?: string;
  /** A loopback address; the mailbox refuses any other unless `inContainer`. */
  host?: string;
  /**
   * Inside a container (docker-compose.yml), other containers must reach it: any address is
   * allowed, and the compose file publishes nothing of it beyond the private network.
   */
  inContainer?: boolean;
  /** 0 picks a free port. */
  smtpPort?: number;
  smsPort?: number;
  onMessage?: (message: MailboxMessage) => void;
}

export interface DevMailbox {
  smtpUrl: string;
  smsUrl: string;
  /** Every message received, oldest first. */
  messages: MailboxMessage[];
  /**
   * The first message matching `match` among those received after the first `after`
   * (e.g. `messages.length` taken before triggering the send), waiting for it if needed.
   */
  waitForMessage(
    match?: (message: MailboxMessage) => boolean,
    options?: { after?: number; timeoutMs?: number },
  ): Promise<MailboxMessage>;
  stop(): Promise<void>;
}

/** The ports the identity subgraph sends to outside production (its delivery defaults). */
export const DEV_MAILBOX_PORTS = { smtp: 2525, sms: 2526 } as const;

const MAX_EMAIL_BYTES = 1024 * 1024;
const MAX_SMS_REQUEST_BYTES = 16 * 1024;

/**
 * A development stand-in for the SMTP server and the HTTP SMS gateway: it accepts what the
 * services send and keeps it for a developer or a test to read. Loopback only, no auth, no TLS.
 */
export async function startDevMailbox(options: DevMailboxOptions = {}): Promise<DevMailbox> {
  const { dir, host = '127.0.0.1', smtpPort = DEV_MAILBOX_PORTS.smtp, smsPort = DEV_MAILBOX_PORTS.sms } = options;
  if (!isLoopback(host) && !options.inContainer)
    throw new Error(`the development mailbox listens on loopback only, not on ${host}`);
  if (dir) await mkdir(dir, { recursive: true });

  const messages: MailboxMessage[] = [];
  const waiters = new Set<() => void>();
  let sequence = 0;
  const record = async (message: MailboxMessage): Promise<void> => {
    if (dir) await writeMessage(dir, message, (sequence += 1));
    messages.push(message);
    for (const wake of [...waiters]) wake();
    options.onMessage?.(message);
  };

  const smtp = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: MAX_EMAIL_BYTES,
    disableReverseLookup: true,
    banner: 'Messngr development mailbox',
    logger: false,
    maxClients: 20,
    socketTimeout: 30_000,
    closeTimeout: 500,
    onData: (stream, session, callback) => {
      receiveEmail(stream, session, record).then(
        () => callback(null, 'Kept in the development mailbox'),
        (error: Error) => callback(error),
      );
    },
  });
  // smtp-server reports client socket errors here; without a listener they would crash the process.
  smtp.on('error', () => undefined);
  const http = createServer((request, response) => {
    receiveSms(request, response, record).catch(() => response.destroy());
  });
  http.requestTimeout = 10_000;

  const smtpBound = await listen(smtp.server, smtpPort, host, 'SMTP');
  let smsBound: number;
  try {
    smsBound = await listen(http, smsPort, host, 'SMS');
  } catch (error) {
    await new Promise<void>((resolve) => smtp.close(resolve));
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    smtpUrl: `smtp://${urlHost}:${smtpBound}`,
    smsUrl: `http://${urlHost}:${smsBound}/sms`,
    messages,
    waitForMessage: (match = () => true, { after = 0, timeoutMs = 10_000 } = {}) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.slice(after).find(match);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message reached the development mailbox within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    stop: async () => {
      http.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => smtp.close(resolve)),
        new Promise<void>((resolve) => http.close(() => resolve())),
      ]);
    },
  };
}

/** The newest `limit` messages written to `dir`, newest first; none when it does not exist. */
export async function readDevMailbox(dir: string, { limit = 10 }: { limit?: number } = {}): Promise<MailboxMessage[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files = names
    .filter((name) => name.endsWith('.json') && !name.startsWith('.'))
    .sort()
    .reverse();
  const found: MailboxMessage[] = [];
  for (const name of files) {
    if (found.length >= limit) break;
    try {
      const parsed = JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
      if (isMailboxMessage(parsed)) found.push(parsed);
    } catch {
      // removed meanwhile, or not one of ours: skip it
    }
  }
  return found;
}

async function receiveEmail(
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  record: (message: MailboxMessage) => Promise<void>,
): Promise<void> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= MAX_EMAIL_BYTES) chunks.push(chunk);
    });
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  if (stream.sizeExceeded) {
    throw Object.assign(new Error(`Message exceeds ${MAX_EMAIL_BYTES} bytes`), { responseCode: 552 });
  }
  const parsed = await simpleParser(Buffer.concat(chunks), { skipTextToHtml: true, skipImageLinks: true });
  const { mailFrom, rcptTo } = session.envelope;
  await record({
    kind: 'email',
    to: rcptTo.map((recipient) => recipient.address).join(', '),
    from: parsed.from?.text ?? (mailFrom ? mailFrom.address : undefined),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    receivedAt: new Date().toISOString(),
  });
}

async function receiveSms(
  request: IncomingMessage,
  response: ServerResponse,
  record: (message: MailboxMessage) => Promise<void>,
): Promise<void> {
  const reply = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };
  if (new URL(request.url ?? '/', 'http://mailbox').pathname !== '/sms') return reply(404, { error: 'not found' });
  if (request.method !== 'POST') return reply(405, { error: 'POST only' }, { allow: 'POST' });
  const body = await readLimited(request, MAX_SMS_REQUEST_BYTES);
  if (body === undefined) return reply(413, { error: `body exceeds ${MAX_SMS_REQUEST_BYTES} bytes` }, { connection: 'close' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return reply(400, { error: 'body must be JSON' });
  }
  const { to, text } = (parsed ?? {}) as { to?: unknown; text?: unknown };
  if (typeof to !== 'string' || to === '' || typeof text !== 'string') {
    return reply(400, { error: 'body must be {"to": string, "text": string}' });
  }
  try {
    await record({ kind: 'sms', to, text, receivedAt: new Date().toISOString() });
  } catch {
    return reply(500, { error: 'could not keep the message' });
  }
  reply(202, { accepted: true });
}

/** The body as text, or undefined once it passes `limit` bytes (the rest is drained unread). */
function readLimited(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      request.resume();
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    request.once('end', () => resolve(bytes <= limit ? Buffer.concat(chunks).toString('utf8') : undefined));
    request.once('error', reject);
  });
}

async function writeMessage(dir: string, message: MailboxMessage, sequence: number): Promise<void> {
  // ISO time first, so that names sort by arrival; the rest keeps names unique.
  const stamp = message.receivedAt.replace(/[:.]/g, '-');
  const name = `${stamp}-${String(sequence).padStart(6, '0')}-${randomBytes(3).toString('hex')}-${message.kind}.json`;
  const temporary = join(dir, `.${name}.tmp`);
  await writeFile(temporary, `${JSON.stringify(message, null, 2)}\n`);
  await rename(temporary, join(dir, name));
}

function listen(server: Server | SMTPServer['server'], port: number, host: string, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `development mailbox ${what} port ${host}:${port} is already in use`
            : `development mailbox cannot listen on ${host}:${port} (${what}): ${error.message}`,
        ),
      );
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

function isMailboxMessage(value: unknown): value is MailboxMessage {
  const candidate = value as Partial<MailboxMessage> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    (candidate.kind === 'email' || candidate.kind === 'sms') &&
    typeof candidate.to === 'string' &&
    typeof candidate.text === 'string' &&
    typeof candidate.receivedAt === 'string'
  );
}
