import { Writable } from 'node:stream';
import { createLogger } from './logger';

describe('logger', () => {
  it('never writes secrets, wherever they sit in the logged object', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ service: 'test', destination });
    logger.info(
      { token: 'T0KEN', request: { authorization: 'Bearer abc', headers: { cookie: 'sid=1' } }, clientSecret: 'S3CRET' },
      'hello',
    );
    const text = lines.join('');
    expect(text).toContain('hello');
    for (const secret of ['T0KEN', 'Bearer abc', 'sid=1', 'S3CRET']) expect(text).not.toContain(secret);
  });
});
