import { z } from 'zod';
import { ConfigError, env, parseEnv } from './config';
import { parseServiceConfig } from './service-config';

describe('parseEnv', () => {
  const shape = { PORT: env.port(4001), KAFKA_BROKERS: env.brokers('127.0.0.1:9092'), SECRET: z.string().min(1) };

  it('applies defaults and parses values', () => {
    expect(parseEnv(shape, { SECRET: 's', KAFKA_BROKERS: 'a:1, b:2' })).toEqual({
      PORT: 4001,
      KAFKA_BROKERS: ['a:1', 'b:2'],
      SECRET: 's',
    });
  });

  it('names every missing or malformed variable in one error', () => {
    let caught: unknown;
    try {
      parseEnv(shape, { PORT: 'eighty', KAFKA_BROKERS: 'no-port' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT \(malformed\)/m);
    expect(problems).toMatch(/^KAFKA_BROKERS\.0 \(malformed\)|^KAFKA_BROKERS/m);
    expect(problems).toMatch(/^SECRET \(not set\)/m);
  });
});

describe('the environment a service starts in', () => {
  const publicKey = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' });

  it('is production unless NODE_ENV says otherwise, and then generates no secrets', () => {
    const config = parseServiceConfig('device', { GATEWAY_ASSERTION_PUBLIC_KEY: publicKey });
    expect(config).toMatchObject({ nodeEnv: 'production', production: true });
    // Without NODE_ENV, a missing secret is an error, not a generated development file.
    expect(() => parseServiceConfig('device', {})).toThrow(/GATEWAY_ASSERTION_PUBLIC_KEY \(not set\)/);
  });

  it('takes each service’s default port from the contracts', () => {
    expect(parseServiceConfig('audit', { GATEWAY_ASSERTION_PUBLIC_KEY: publicKey }).port).toBe(4004);
  });
});
