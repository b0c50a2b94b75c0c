import { isPortOpen } from './free-port';
import { withLogTail } from './log-tail';
import type { ServerProcess } from './server-process';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Fail at once, with its log tail, if this process exits while we wait. */
  server?: ServerProcess;
  /** Log whose tail goes into the error message. */
  logFile?: string;
}

/** Polls `check` until it returns true; errors name what failed and carry the tail of its log. */
export async function waitUntil(what: string, check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const started = Date.now();
  const logFile = options.logFile ?? options.server?.options.logFile;
  const fail = (message: string): Error => new Error(logFile ? withLogTail(message, logFile) : message);
  let lastError = '';
  for (;;) {
    if (options.server?.exitStatus) throw fail(`${what}: process ${options.server.exitStatus} before it was ready`);
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() - started > options.timeoutMs) {
      const detail = lastError ? ` (last error: ${lastError})` : '';
      throw fail(`${what} not ready after ${Math.round(options.timeoutMs / 1000)}s${detail}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}

export function waitForPort(what: string, port: number, options: WaitOptions): Promise<void> {
  return waitUntil(what, () => isPortOpen(port), options);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
