import { z } from 'zod';
import { parseEncryptionKeys } from '../core/secret-box';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables once against a zod shape whose keys are the variable
 * names. Every bad or missing variable is named in one error.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<Shape>> {
  const values: Record<string, string | undefined> = {};
  for (const name of Object.keys(shape)) {
    const raw = env[name];
    values[name] = raw === undefined || raw.trim() === '' ? undefined : raw;
  }
  const result = z.object(shape).safeParse(values);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const shown = values[name] === undefined ? 'not set' : 'malformed';
        return `${name} (${shown}): ${issue.message}`;
      }),
    );
  }
  return result.data;
}

export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  host: (fallback = '127.0.0.1') => z.string().min(1).default(fallback),
  url: (fallback?: string) =>
    fallback === undefined ? z.url({ protocol: /^https?$/ }) : z.url({ protocol: /^https?$/ }).default(fallback),
  mongoUri: (fallback: string) =>
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI')
      .default(fallback),
  brokers: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port')).min(1)),
  /**
   * Unset means production: a deployment that forgets NODE_ENV gets no introspection, no
   * generated secrets and no CLI token. `npm start`, the tests and the CLI say development or test.
   */
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('production'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  seconds: (fallback: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(fallback),
  /** `keyId:base64(32 bytes)[,older...]`: the keys that seal secrets at rest, the first sealing. */
  encryptionKeys: () =>
    z.string().transform((value, context) => {
      try {
        return parseEncryptionKeys(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Comma-separated CIDRs or addresses, e.g. `127.0.0.0/8,::1`; empty for none. */
  networks: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'each entry must be an IP address or CIDR'))),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
};
