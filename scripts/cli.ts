import { join } from 'node:path';
import { CONSUMER_SERVICES, type ConsumerService } from '@messngr/contracts';
import { readDevMailbox, type MailboxMessage } from '@messngr/infra/src/dev-mailbox';
import { mintDevelopmentAdminToken } from '@messngr/identity/src/cli/admin-token';
import { env as variables, parseEnv } from '@messngr/kit/config';
import { localDataDir } from '@messngr/kit/core';
import { createKafka, listDeadLetters, replayDeadLetters, type DeadLetter } from '@messngr/kit/events';
import { createLogger } from '@messngr/kit/logging';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  admin-token                     Ensure the development platform administrator exists and print a
                                  short-lived access token for it (stdout: the token only).
                                  Refused when NODE_ENV=production.
  dead-letters list <service>     The events <service> parked on its dead-letter topic, with why.
  dead-letters replay <service>   Hand the parked events not replayed yet back to <service> (its
                                  replay topic); run it once the cause is mended. Idempotent.
                                  <service>: ${CONSUMER_SERVICES.join(', ')}
  mailbox [--limit N]             The newest N (default 10) emails and SMS that \`npm start\` kept in
                                  its development mailbox (.data/mailbox), newest first.`;

/**
 * The operator CLI. Outside production it defaults to the development environment, as
 * `npm start` does; a production operator sets NODE_ENV and the variables explicitly.
 */
async function main(argv: string[]): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: process.env['NODE_ENV'] ?? 'development' };
  const [command, verb, service] = argv;
  if (command === 'admin-token') {
    process.stdout.write(`${await mintDevelopmentAdminToken(env)}\n`);
    return 0;
  }
  if (command === 'mailbox') {
    const limit = parseLimit(argv.slice(1));
    if (limit !== undefined) return printMailbox(limit);
  }
  if (command === 'dead-letters' && (verb === 'list' || verb === 'replay') && isConsumer(service)) {
    const { KAFKA_BROKERS } = parseEnv({ KAFKA_BROKERS: variables.brokers('127.0.0.1:9092') }, env);
    const kafka = createKafka({
      brokers: KAFKA_BROKERS,
      clientId: 'messngr-cli',
      logger: createLogger({ service: 'cli', level: 'warn' }),
    });
    const letters = verb === 'list' ? await listDeadLetters(kafka, service) : await replayDeadLetters(kafka, service);
    for (const letter of letters) process.stdout.write(`${describe(letter)}\n`);
    process.stderr.write(`${letters.length} ${verb === 'list' ? 'parked' : 'replayed'} event(s) of ${service}\n`);
    return 0;
  }
  process.stderr.write(`${USAGE}\n`);
  return command === undefined || command === '--help' ? 0 : 2;
}

function isConsumer(service: string | undefined): service is ConsumerService {
  return (CONSUMER_SERVICES as readonly (string | undefined)[]).includes(service);
}

/** `[]` → 10, `['--limit', 'N']` → N; anything else → undefined (a usage error). */
function parseLimit(args: string[]): number | undefined {
  if (args.length === 0) return 10;
  const [flag, value] = args;
  const limit = Number(value);
  return args.length === 2 && flag === '--limit' && Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

async function printMailbox(limit: number): Promise<number> {
  const dir = join(localDataDir(), 'mailbox');
  const messages = await readDevMailbox(dir, { limit });
  for (const message of messages) process.stdout.write(`${formatMailboxMessage(message)}\n`);
  process.stderr.write(`${messages.length} message(s) in ${dir}\n`);
  return 0;
}

function formatMailboxMessage(message: MailboxMessage): string {
  const subject = message.subject === undefined ? '' : `  "${message.subject}"`;
  const text = message.text.trimEnd().replace(/^(?=.)/gm, '    ');
  return `${message.receivedAt}  ${message.kind.padEnd(5)}  to ${message.to}${subject}\n${text}\n`;
}

function describe(letter: DeadLetter): string {
  const replayed = letter.replayed ? ' (replayed)' : '';
  return `#${letter.offset} ${letter.parkedAt ?? '?'} ${letter.type ?? '(unreadable)'} ${letter.eventId ?? ''} [${letter.kind ?? '?'}] ${letter.reason ?? ''}${replayed}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
