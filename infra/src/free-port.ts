import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Asks the kernel for a currently free loopback port. */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}

/** Fails fast, with a clear message, when a fixed port is already taken. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `${what} port ${LOOPBACK}:${port} is already in use (is another infrastructure, e.g. \`npm run infra:up\`, running?)`
            : `cannot bind ${what} port ${LOOPBACK}:${port}: ${error.message}`,
        ),
      );
    });
    server.listen(port, LOOPBACK, () => server.close(() => resolve()));
  });
}

/** A requested port, or a free one when it is 0 or undefined. */
export async function resolvePort(requested: number | undefined, what: string): Promise<number> {
  if (!requested) return getFreePort();
  await assertPortFree(requested, what);
  return requested;
}

export function isPortOpen(port: number, host = LOOPBACK, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
