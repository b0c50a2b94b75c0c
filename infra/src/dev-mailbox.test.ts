import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDevMailbox, startDevMailbox, type DevMailbox, type MailboxMessage } from './dev-mailbox';

let dir: string;
let mailbox: DevMailbox;
const received: MailboxMessage[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-mailbox-'));
  received.length = 0;
  mailbox = await startDevMailbox({ dir, smtpPort: 0, smsPort: 0, onMessage: (message) => received.push(message) });
});

afterEach(async () => {
  await mailbox.stop();
  await rm(dir, { recursive: true, force: true });
});

const postSms = (body: string) =>
  fetch(mailbox.smsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

/** Speaks SMTP line by line, returning each reply's status code (the greeting's first). */
async function smtpDialogue(url: string, commands: string[]): Promise<number[]> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const codes: number[] = [];
  let buffered = '';
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    // A reply is complete at a line whose code is followed by a space, not a dash.
    for (let match = /^(\d{3}) .*\r\n/m.exec(buffered); match; match = /^(\d{3}) .*\r\n/m.exec(buffered)) {
      codes.push(Number(match[1]));
      buffered = buffered.slice(match.index + match[0].length);
      waiting?.();
    }
  });
  const reply = (count: number) => new Promise<void>((resolve) => (waiting = () => codes.length >= count && resolve()));
  await reply(1);
  for (const command of commands) {
    const next = reply(codes.length + 1);
    socket.write(`${command}\r\n`);
    await next;
  }
  socket.destroy();
  return codes;
}

describe('startDevMailbox', () => {
  it('names the free ports it got when asked for port 0', () => {
    expect(mailbox.smtpUrl).toMatch(/^smtp:\/\/127\.0\.0\.1:(\d+)$/);
    expect(mailbox.smsUrl).toMatch(/^http:\/\/127\.0\.0\.1:(\d+)\/sms$/);
    expect(mailbox.smtpUrl).not.toMatch(/:0$/);
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(startDevMailbox({ host: '0.0.0.0', smtpPort: 0, smsPort: 0 })).rejects.toThrow(/loopback only/);
  });

  it('keeps an SMS, passes it to onMessage and writes it to a file', async () => {
    const response = await postSms(JSON.stringify({ to: '+4712345678', text: 'Code 123456' }));

    expect(response.status).toBe(202);
    const expected = { kind: 'sms', to: '+4712345678', text: 'Code 123456' };
    expect(mailbox.messages).toEqual([expect.objectContaining(expected)]);
    expect(received).toEqual(mailbox.messages);
    const files = (await readdir(dir)).filter((name) => name.endsWith('.json'));
    expect(files).toHaveLength(1);
    expect(JSON.parse(await readFile(join(dir, files[0]!), 'utf8'))).toEqual(mailbox.messages[0]);
  });

  it('parses an email into its subject and decoded plain text', async () => {
    const codes = await smtpDialogue(mailbox.smtpUrl, [
      'EHLO test',
      'MAIL FROM:<no-reply@messngr.local>',
      'RCPT TO:<kari@example.com>',
      'DATA',
      [
        'From: Messngr <no-reply@messngr.local>',
        'To: kari@example.com',
        'Subject: =?UTF-8?Q?Innloggingskoden_din_utl=C3=B8per?=',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Koden er 654321. Den utl=C3=B8per snart.',
        '.',
      ].join('\r\n'),
      'QUIT',
    ]);

    expect(codes).toEqual([220, 250, 250, 250, 354, 250, 221]);
    expect(mailbox.messages).toEqual([
      expect.objectContaining({
        kind: 'email',
        to: 'kari@example.com',
        from: expect.stringContaining('<no-reply@messngr.local>'),
        subject: 'Innloggingskoden din utløper',
        text: expect.stringContaining('Koden er 654321. Den utløper snart.'),
      }),
    ]);
  });

  it('refuses an email over its size limit and keeps nothing', async () => {
    const line = 'x'.repeat(998);
    const body = Array.from({ length: 1100 }, () => line).join('\r\n');
    const codes = await smtpDialogue(mailbox.smtpUrl, [
      'EHLO test',
      'MAIL FROM:<a@example.com>',
      'RCPT TO:<b@example.com>',
      'DATA',
      `Subject: big\r\n\r\n${body}\r\n.`,
    ]);

    expect(codes.at(-1)).toBe(552);
    expect(mailbox.messages).toEqual([]);
  });

  it('answers 400 to a body that is not JSON or lacks to/text', async () => {
    expect((await postSms('{not json')).status).toBe(400);
    expect((await postSms(JSON.stringify({ to: '+4712345678' }))).status).toBe(400);
    expect((await postSms(JSON.stringify([1, 2]))).status).toBe(400);
    expect(mailbox.messages).toEqual([]);
  });

  it('answers 413 to a huge body', async () => {
    const response = await postSms(JSON.stringify({ to: '+4712345678', text: 'x'.repeat(100_000) }));

    expect(response.status).toBe(413);
    expect(mailbox.messages).toEqual([]);
  });

  it('answers 404 beside /sms and 405 to other methods', async () => {
    expect((await fetch(mailbox.smsUrl.replace(/\/sms$/, '/other'), { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(mailbox.smsUrl)).status).toBe(405);
  });

  it('waits for a message received after the given count', async () => {
    await postSms(JSON.stringify({ to: '+4711111111', text: 'first' }));
    const waiting = mailbox.waitForMessage((message) => message.to === '+4711111111', { after: 1, timeoutMs: 2_000 });
    await postSms(JSON.stringify({ to: '+4711111111', text: 'second' }));

    await expect(waiting).resolves.toMatchObject({ text: 'second' });
    await expect(mailbox.waitForMessage((m) => m.text === 'never', { timeoutMs: 50 })).rejects.toThrow(/within 50 ms/);
  });
});

describe('readDevMailbox', () => {
  it('returns the newest messages first, at most limit, skipping foreign files', async () => {
    for (const text of ['one', 'two', 'three']) {
      await postSms(JSON.stringify({ to: '+4712345678', text }));
    }
    await writeFile(join(dir, 'zzz-not-a-message.json'), '{"hello": true}');

    expect((await readDevMailbox(dir, { limit: 2 })).map((message) => message.text)).toEqual(['three', 'two']);
    expect((await readDevMailbox(dir)).map((message) => message.text)).toEqual(['three', 'two', 'one']);
  });

  it('returns nothing for a folder that does not exist', async () => {
    await expect(readDevMailbox(join(dir, 'missing'))).resolves.toEqual([]);
  });
});
