import { createTransport } from 'nodemailer';

export interface EmailSender {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpEmailSenderOptions {
  /** `smtp://[user:pass@]host[:port]` or `smtps://…`; percent-encode special characters in the password. */
  url: string;
  from: string;
  /** Bound on connecting and on the server's greeting; an idle socket gets twice as long. */
  timeoutMs?: number;
}

export function createSmtpEmailSender({ url, from, timeoutMs = 5_000 }: SmtpEmailSenderOptions): EmailSender {
  // URL.parse, unlike new URL, throws nothing that would quote the URL and its password.
  const protocol = URL.parse(url)?.protocol;
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('SMTP URL must be an smtp:// or smtps:// URL');
  // Pooled: a connection (and the server's greeting) per message costs more than the message.
  const transport = createTransport({
    url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    dnsTimeout: timeoutMs,
  });
  return {
    async send({ to, subject, text }) {
      try {
        await transport.sendMail({ from, to, subject, text });
      } catch (error) {
        throw smtpFailure(error);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/**
 * Nodemailer's errors can quote the server's reply and the recipient; callers log what this
 * throws, so it carries the failure codes only.
 */
function smtpFailure(error: unknown): Error {
  const { code, originalCode, responseCode } = (error ?? {}) as { code?: string; originalCode?: string; responseCode?: number };
  const details = [code, originalCode, responseCode].filter((part) => part !== undefined && part !== '');
  return new Error(`SMTP delivery failed${details.length > 0 ? ` (${details.join(' ')})` : ''}`);
}
