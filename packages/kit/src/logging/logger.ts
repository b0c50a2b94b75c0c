import pino, { type DestinationStream, type Logger } from 'pino';
import { currentRequestContext } from './request-context';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
export const REDACTED_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'code',
  'otp',
  'otpCode',
  'privateKey',
  'privateJwk',
  'encryptedPrivateKey',
  'x-messngr-assertion',
];

export interface LoggerOptions {
  service: string;
  level?: string;
  destination?: DestinationStream;
}

export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: REDACTED_KEYS.flatMap(redactionPaths),
        censor: '[redacted]',
      },
      mixin() {
        const context = currentRequestContext();
        return context ? { correlationId: context.correlationId } : {};
      },
    },
    destination,
  );
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function redactionPaths(key: string): string[] {
  // A nested `code` is usually an error code (err.code), worth keeping; a top-level one may be an OTP.
  if (key === 'code') return [key];
  if (IDENTIFIER.test(key)) return [key, `*.${key}`, `*.*.${key}`];
  return [`*["${key}"]`, `*.*["${key}"]`];
}
