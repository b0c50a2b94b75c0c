import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** The last `lines` lines of a log file ("" when it is missing), read without loading all of it. */
export function tailFile(file: string, lines = 30, maxBytes = 64 * 1024): string {
  let fd: number | undefined;
  try {
    const size = statSync(file).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    fd = openSync(file, 'r');
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Appends the tail of a log to an error message. */
export function withLogTail(message: string, logFile: string): string {
  const tail = tailFile(logFile);
  return tail ? `${message}\n--- last lines of ${logFile} ---\n${tail}` : `${message} (log ${logFile} is empty)`;
}
