import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findRepoRoot } from '@messngr/kit/core';
import type { Stack } from '@messngr/e2e/harness';

export interface GatewayProcess {
  /** Its `/graphql` URL. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A second gateway in front of the stack's subgraphs, started the way `npm start` runs it: its
 * own Node process (`gateway/src/index.ts`), configured from the environment. In production
 * the gateway never shares an event loop with a subgraph; the harness's in-process gateway does.
 */
export async function startGatewayProcess(stack: Stack, timeoutMs = 60_000): Promise<GatewayProcess> {
  const root = findRepoRoot(__dirname);
  // e.g. `--cpu-prof --cpu-prof-dir=/tmp/gateway-profile` to see where the gateway's time goes.
  const nodeArgs = (process.env['BENCH_GATEWAY_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(root, 'gateway', 'src', 'index.ts')], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_HOST: '127.0.0.1',
      ADMIN_PORT: '0',
      PUBLIC_URL: stack.publicUrl,
      TENANT_URL: stack.subgraphUrls.tenant,
      IDENTITY_URL: stack.subgraphUrls.identity,
      DEVICE_URL: stack.subgraphUrls.device,
      AUDIT_URL: stack.subgraphUrls.audit,
      GATEWAY_ASSERTION_PRIVATE_KEY: stack.secrets.GATEWAY_ASSERTION_PRIVATE_KEY,
      ACCESS_TOKEN_MAX_AGE_SECONDS: '900',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const lines = createInterface({ input: child.stdout });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the gateway process was not listening within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void exited.then(() => reject(new Error(`the gateway process exited (${child.exitCode ?? child.signalCode})`)));
      lines.on('line', (line) => {
        const entry = parseLogLine(line);
        if (entry?.msg === 'gateway listening' && typeof entry['url'] === 'string') {
          clearTimeout(timer);
          resolve(entry['url']);
        }
      });
    });
    return { url, pid: child.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
