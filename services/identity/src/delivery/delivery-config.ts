import { z } from 'zod';
import { ConfigError, env, parseEnv } from '@messngr/kit/config';

/** The development mailbox `npm start` runs (`startDevMailbox` in @messngr/infra). */
export const DELIVERY_DEFAULTS_FOR_DEVELOPMENT = {
  SMTP_URL: 'smtp://127.0.0.1:2525',
  SMS_GATEWAY_URL: 'http://127.0.0.1:2526/sms',
} as const;

const DEV_MAILBOX_PORTS = { SMTP_URL: 2525, SMS_GATEWAY_URL: 2526 } as const;

export interface DeliveryConfig {
  smtpUrl: string;
  mailFrom: string;
  smsGatewayUrl: string;
  smsGatewayToken: string | null;
}

const smtpUrl = () => z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' });

/** In production the servers must be named; elsewhere they default to the development mailbox. */
export function deliveryEnvShape(production: boolean) {
  const dev = DELIVERY_DEFAULTS_FOR_DEVELOPMENT;
  return {
    SMTP_URL: production ? smtpUrl() : smtpUrl().default(dev.SMTP_URL),
    MAIL_FROM: z.string().regex(/@/, 'must contain an email address').default('Messngr <no-reply@messngr.local>'),
    SMS_GATEWAY_URL: production ? env.url() : env.url(dev.SMS_GATEWAY_URL),
    SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  };
}

export const DELIVERY_ENV_VARIABLES: readonly string[] = Object.keys(deliveryEnvShape(true));

export function parseDeliveryConfig(rawEnv: NodeJS.ProcessEnv, production: boolean): DeliveryConfig {
  const parsed = parseEnv(deliveryEnvShape(production), rawEnv);
  if (production) {
    const refused = (['SMTP_URL', 'SMS_GATEWAY_URL'] as const).filter((name) =>
      isDevMailbox(parsed[name], DEV_MAILBOX_PORTS[name]),
    );
    if (refused.length > 0) {
      throw new ConfigError(
        refused.map((name) => `${name} (refused): points at the development mailbox; name the production server`),
      );
    }
  }
  return {
    smtpUrl: parsed.SMTP_URL,
    mailFrom: parsed.MAIL_FROM,
    smsGatewayUrl: parsed.SMS_GATEWAY_URL,
    smsGatewayToken: parsed.SMS_GATEWAY_TOKEN ?? null,
  };
}

function isDevMailbox(url: string, port: number): boolean {
  const parsed = new URL(url);
  return isLoopbackHost(parsed.hostname) && Number(parsed.port) === port;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
