import { Writable } from 'node:stream';

/** Every log line a stack writes, kept so tests can assert that no secret was ever logged. */
export class CapturedLogs extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const text = chunk.toString('utf8');
    this.lines.push(...text.split('\n').filter(Boolean));
    if (process.env['E2E_LOGS']) process.stderr.write(text);
    callback();
  }

  text(): string {
    return this.lines.join('\n');
  }
}
