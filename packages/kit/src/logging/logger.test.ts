import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ service: 'test', destination }), text: () => lines.join('') };
}

describe('logger', () => {
  it('never writes secrets, wherever they sit in the logged object', () => {
    const { logger, text } = capture();
    logger.info(
      { token: 'T0KEN', request: { authorization: 'Bearer abc', headers: { cookie: 'sid=1' } }, clientSecret: 'S3CRET' },
      'hello',
    );
    expect(text()).toContain('hello');
    for (const secret of ['T0KEN', 'Bearer abc', 'sid=1', 'S3CRET']) expect(text()).not.toContain(secret);
  });

  it('redacts below the third level, inside arrays, and under the assertion and set-cookie headers', () => {
    const { logger, text } = capture();
    logger.warn(
      {
        a: { b: { c: { d: { e: { refreshToken: 'DEEP-REFRESH' } } } } },
        upstream: { response: { headers: { 'Set-Cookie': ['sid=SETCOOKIE'], 'x-messngr-assertion': 'eyASSERTION' } } },
        attempts: [{ request: { body: { client_secret: 'FORM-SECRET', code_verifier: 'VERIFIER' } } }],
        err: Object.assign(new Error('upstream failed'), { config: { headers: { Authorization: 'Bearer ERRTOKEN' } } }),
      },
      'nested',
    );
    const written = text();
    expect(written).toContain('upstream failed');
    for (const secret of ['DEEP-REFRESH', 'SETCOOKIE', 'eyASSERTION', 'FORM-SECRET', 'VERIFIER', 'ERRTOKEN']) {
      expect(written).not.toContain(secret);
    }
  });

  it('redacts a top-level code (a one-time code) but keeps a nested error code', () => {
    const { logger, text } = capture();
    logger.info({ code: '123456', err: { code: 'ECONNREFUSED' }, reason: { code: 'SLUG_TAKEN' } }, 'codes');
    expect(text()).not.toContain('123456');
    expect(text()).toContain('ECONNREFUSED');
    expect(text()).toContain('SLUG_TAKEN');
  });
});
