import { createServer as createHttpServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startDevMailbox, type DevMailbox } from '@messngr/infra/src/dev-mailbox';
import { createCodeDelivery, type CodeDeliveryRequest } from './code-delivery';
import { createSmtpEmailSender } from './email-sender';
import { loginCodeMessage, messageLanguage } from './login-code-message';
import { createHttpSmsSender } from './sms-sender';

const MAIL_FROM = 'Messngr <no-reply@messngr.local>';
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function mailbox(): Promise<DevMailbox> {
  const started = await startDevMailbox({ smtpPort: 0, smsPort: 0 });
  cleanups.push(() => started.stop());
  return started;
}

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A loopback HTTP endpoint recording each request's headers and body. */
async function serveHttp(answer: RequestListener = (_req, res) => res.writeHead(202).end()) {
  const requests: { headers: IncomingHttpHeaders; body: unknown }[] = [];
  const server = createHttpServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(body) });
      answer(req, res);
    });
  });
  const port = await listen(server);
  cleanups.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { url: `http://127.0.0.1:${port}/sms`, requests };
}

/** A TCP server that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => sockets.push(socket));
  const port = await listen(server);
  cleanups.push(() => new Promise((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))));
  return port;
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const unusedSms = createHttpSmsSender({ url: 'http://127.0.0.1:9/sms' });

function request(overrides: Partial<CodeDeliveryRequest>): CodeDeliveryRequest {
  return {
    channel: 'EMAIL',
    to: 'kari@example.com',
    code: '482913',
    locale: 'en',
    tenantName: 'Acme',
    expiresInMinutes: 10,
    ...overrides,
  };
}

async function timed(promise: Promise<unknown>): Promise<{ error: Error; ms: number }> {
  const started = Date.now();
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (reason: Error) => reason,
  );
  return { error, ms: Date.now() - started };
}

describe('code delivery by email', () => {
  it.each([
    ['en', '482913 is your Acme sign-in code', ['Your sign-in code for Acme is:', 'expires in 10 minutes', 'ignore this email']],
    [
      'nb-NO',
      '482913 er innloggingskoden din for Acme',
      ['Innloggingskoden din for Acme er:', 'utløper om 10 minutter', 'se bort fra'],
    ],
  ])('reaches a real SMTP server in %s', async (locale, subject, phrases) => {
    const box = await mailbox();
    const email = createSmtpEmailSender({ url: box.smtpUrl, from: MAIL_FROM });
    const delivery = createCodeDelivery({ email, sms: unusedSms });
    cleanups.push(() => delivery.close());

    await delivery.deliver(request({ locale }));

    const message = await box.waitForMessage(undefined, { timeoutMs: 2_000 });
    expect(message).toMatchObject({ kind: 'email', to: 'kari@example.com', subject });
    expect(message.from).toContain('<no-reply@messngr.local>');
    for (const phrase of [...phrases, '482913']) expect(message.text).toContain(phrase);
  });

  it('logs in with the user and password of the URL', async () => {
    const logins: { username?: string | null; password?: string | null }[] = [];
    const server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => {
        logins.push({ username: auth.username, password: auth.password });
        callback(null, { user: auth.username });
      },
      onData: (stream, _session, callback) => {
        stream.resume();
        stream.on('end', () => callback());
      },
    });
    const port = await listen(server.server);
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const email = createSmtpEmailSender({ url: `smtp://relay-user:p%40ss%3Aword@127.0.0.1:${port}`, from: MAIL_FROM });

    await email.send({ to: 'kari@example.com', subject: 'subject', text: 'text' });

    expect(logins).toEqual([{ username: 'relay-user', password: 'p@ss:word' }]);
  });

  it('rejects quickly, without the code or the address, when the SMTP server is unreachable', async () => {
    const email = createSmtpEmailSender({ url: `smtp://127.0.0.1:${await closedPort()}`, from: MAIL_FROM });
    const delivery = createCodeDelivery({ email, sms: unusedSms });

    const { error, ms } = await timed(delivery.deliver(request({})));

    expect(error.message).toMatch(/^SMTP delivery failed \(ESOCKET ECONNREFUSED\)$/);
    expect(ms).toBeLessThan(2_000);
  });

  it('gives up on a server that never greets within the timeout', async () => {
    const email = createSmtpEmailSender({ url: `smtp://127.0.0.1:${await silentServer()}`, from: MAIL_FROM, timeoutMs: 300 });

    const { error, ms } = await timed(email.send({ to: 'kari@example.com', subject: 's', text: 't' }));

    expect(error.message).toMatch(/^SMTP delivery failed \(ETIMEDOUT/);
    expect(ms).toBeLessThan(2_000);
  });

  it.each(['http://127.0.0.1:2525', 'smtp://relay:secret@[not-an-address'])('refuses %s without quoting it', (url) => {
    expect(() => createSmtpEmailSender({ url, from: MAIL_FROM })).toThrow(/^SMTP URL must be an smtp:\/\/ or smtps:\/\/ URL$/);
  });
});

describe('code delivery by SMS', () => {
  it('posts the short text to the gateway with the bearer token', async () => {
    const gateway = await serveHttp();
    const sms = createHttpSmsSender({ url: gateway.url, token: 'gateway-secret', timeoutMs: 2_000 });
    const delivery = createCodeDelivery({ email: createSmtpEmailSender({ url: 'smtp://127.0.0.1:9', from: MAIL_FROM }), sms });

    await delivery.deliver(request({ channel: 'PHONE', to: '+4791234567', locale: 'nb' }));

    expect(gateway.requests).toHaveLength(1);
    const [{ headers, body }] = gateway.requests as [{ headers: IncomingHttpHeaders; body: { to: string; text: string } }];
    expect(headers.authorization).toBe('Bearer gateway-secret');
    expect(headers['content-type']).toBe('application/json');
    expect(body).toEqual({
      to: '+4791234567',
      text: loginCodeMessage({ locale: 'nb', code: '482913', tenantName: 'Acme', expiresInMinutes: 10 }).sms,
    });
    expect(body.text).toContain('482913');
  });

  it('sends no authorization header without a token, and the mailbox keeps the SMS', async () => {
    const box = await mailbox();
    const gateway = await serveHttp();
    await createHttpSmsSender({ url: gateway.url }).send({ to: '+4791234567', text: 'hello' });
    await createHttpSmsSender({ url: box.smsUrl }).send({ to: '+4791234567', text: 'hello' });

    expect(gateway.requests[0]?.headers.authorization).toBeUndefined();
    expect(box.messages).toEqual([expect.objectContaining({ kind: 'sms', to: '+4791234567', text: 'hello' })]);
  });

  it('rejects on a 500, naming the status but neither the text nor the answer', async () => {
    const gateway = await serveHttp((_req, res) => res.writeHead(500).end('internal: code 482913 rejected'));
    const sms = createHttpSmsSender({ url: gateway.url, timeoutMs: 2_000 });

    const { error } = await timed(sms.send({ to: '+4791234567', text: 'Your code is 482913' }));

    expect(error.message).toBe('SMS gateway answered 500');
  });

  it('rejects within its timeout when the gateway does not answer', async () => {
    const gateway = await serveHttp(() => undefined);
    const sms = createHttpSmsSender({ url: gateway.url, timeoutMs: 300 });

    const { error, ms } = await timed(sms.send({ to: '+4791234567', text: 'Your code is 482913' }));

    expect(error.message).toBe('SMS gateway did not answer within 300 ms');
    expect(ms).toBeLessThan(2_000);
  });

  it('rejects when the gateway is unreachable', async () => {
    const sms = createHttpSmsSender({ url: `http://127.0.0.1:${await closedPort()}/sms` });

    await expect(sms.send({ to: '+4791234567', text: 'Your code is 482913' })).rejects.toThrow(/^SMS gateway unreachable$/);
  });
});

describe('login code message templates', () => {
  it.each(['nb', 'nb-NO', 'no', 'nn', 'NN-no', 'no_NO'])('uses Bokmål for %s', (locale) => {
    expect(messageLanguage(locale)).toBe('nb');
  });

  it.each(['en', 'en-GB', 'sv', 'de-DE', 'nbx', '', null])('uses English for %p', (locale) => {
    expect(messageLanguage(locale)).toBe('en');
  });

  it.each(['en', 'nb'])('keeps the %s SMS within one GSM-7 segment with the code in it', (locale) => {
    const { sms } = loginCodeMessage({ locale, code: '482913', tenantName: 'Oslo Kommune Helseetaten', expiresInMinutes: 10 });

    expect(sms.length).toBeLessThanOrEqual(160);
    expect(sms).toMatch(/^[A-Za-z0-9 .,:?!'\-æøåÆØÅ]+$/);
    expect(sms.startsWith('482913')).toBe(true);
  });

  it('says minute in the singular for one minute', () => {
    expect(loginCodeMessage({ locale: 'en', code: '1', tenantName: 'Acme', expiresInMinutes: 1 }).text).toContain(
      'expires in 1 minute.',
    );
    expect(loginCodeMessage({ locale: 'nb', code: '1', tenantName: 'Acme', expiresInMinutes: 1 }).text).toContain(
      'utløper om 1 minutt.',
    );
  });
});
