import { ConfigError } from '@messngr/kit/config';
import { DELIVERY_DEFAULTS_FOR_DEVELOPMENT, DELIVERY_ENV_VARIABLES, parseDeliveryConfig } from './delivery-config';

const PRODUCTION_URLS = {
  SMTP_URL: 'smtps://relay:secret@smtp.example.com:465',
  SMS_GATEWAY_URL: 'https://sms.example.com/v1/messages',
};

function problems(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseDeliveryConfig outside production', () => {
  it('defaults to the development mailbox and the development sender', () => {
    expect(parseDeliveryConfig({}, false)).toEqual({
      smtpUrl: DELIVERY_DEFAULTS_FOR_DEVELOPMENT.SMTP_URL,
      mailFrom: 'Messngr <no-reply@messngr.local>',
      smsGatewayUrl: DELIVERY_DEFAULTS_FOR_DEVELOPMENT.SMS_GATEWAY_URL,
      smsGatewayToken: null,
    });
  });

  it('takes the variables that are set', () => {
    const config = parseDeliveryConfig(
      { ...PRODUCTION_URLS, MAIL_FROM: 'Acme <login@acme.test>', SMS_GATEWAY_TOKEN: 'tok' },
      false,
    );

    expect(config).toEqual({
      smtpUrl: PRODUCTION_URLS.SMTP_URL,
      mailFrom: 'Acme <login@acme.test>',
      smsGatewayUrl: PRODUCTION_URLS.SMS_GATEWAY_URL,
      smsGatewayToken: 'tok',
    });
  });

  it('names a malformed URL', () => {
    const found = problems(() => parseDeliveryConfig({ SMTP_URL: 'http://mail.example.com', SMS_GATEWAY_URL: 'ftp://x' }, false));

    expect(found).toEqual([
      expect.stringMatching(/^SMTP_URL \(malformed\)/),
      expect.stringMatching(/^SMS_GATEWAY_URL \(malformed\)/),
    ]);
  });
});

describe('parseDeliveryConfig in production', () => {
  it('requires both URLs', () => {
    const found = problems(() => parseDeliveryConfig({}, true));

    expect(found).toEqual([
      expect.stringMatching(/^SMTP_URL \(not set\)/),
      expect.stringMatching(/^SMS_GATEWAY_URL \(not set\)/),
    ]);
  });

  it.each(['smtp://127.0.0.1:2525', 'smtp://localhost:2525', 'smtp://127.0.0.2:2525', 'smtp://[::1]:2525'])(
    'refuses SMTP_URL=%s, the development mailbox',
    (url) => {
      const found = problems(() => parseDeliveryConfig({ ...PRODUCTION_URLS, SMTP_URL: url }, true));

      expect(found).toEqual([expect.stringMatching(/^SMTP_URL \(refused\): points at the development mailbox/)]);
    },
  );

  it.each(['http://127.0.0.1:2526/sms', 'http://localhost:2526/sms'])('refuses SMS_GATEWAY_URL=%s', (url) => {
    const found = problems(() => parseDeliveryConfig({ ...PRODUCTION_URLS, SMS_GATEWAY_URL: url }, true));

    expect(found).toEqual([expect.stringMatching(/^SMS_GATEWAY_URL \(refused\)/)]);
  });

  it('names both when both point at the development mailbox', () => {
    const found = problems(() => parseDeliveryConfig({ ...DELIVERY_DEFAULTS_FOR_DEVELOPMENT }, true));

    expect(found.map((problem) => problem.split(' ')[0])).toEqual(['SMTP_URL', 'SMS_GATEWAY_URL']);
  });

  it('accepts real servers, including a local relay on another port', () => {
    expect(parseDeliveryConfig(PRODUCTION_URLS, true)).toMatchObject({
      smtpUrl: PRODUCTION_URLS.SMTP_URL,
      smsGatewayUrl: PRODUCTION_URLS.SMS_GATEWAY_URL,
    });
    expect(parseDeliveryConfig({ ...PRODUCTION_URLS, SMTP_URL: 'smtp://127.0.0.1:25' }, true).smtpUrl).toBe(
      'smtp://127.0.0.1:25',
    );
  });
});

it('lists the variables it reads', () => {
  expect([...DELIVERY_ENV_VARIABLES].sort()).toEqual(['MAIL_FROM', 'SMS_GATEWAY_TOKEN', 'SMS_GATEWAY_URL', 'SMTP_URL']);
});
