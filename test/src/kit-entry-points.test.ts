import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** The modules a fresh Node process has loaded after requiring `entry`. */
async function modulesLoadedBy(entry: string): Promise<string[]> {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT });
  return JSON.parse(stdout) as string[];
}

const loads = (modules: string[], pkg: string) => modules.some((path) => path.includes(`/node_modules/${pkg}/`));

describe('kit entry points by concern', () => {
  it('lets the gateway load no database client (Kafka it needs, for its revocation feed)', async () => {
    const modules = await modulesLoadedBy(join(ROOT, 'gateway/src/server.ts'));
    expect(loads(modules, '@apollo/gateway')).toBe(true);
    expect({ mongoose: loads(modules, 'mongoose'), mongodb: loads(modules, 'mongodb') }).toEqual({ mongoose: false, mongodb: false });
  });

  it('does load them for a subgraph, which the check above would otherwise not tell apart', async () => {
    const modules = await modulesLoadedBy(join(ROOT, 'services/device/src/server.ts'));
    expect({ mongoose: loads(modules, 'mongoose'), kafkajs: loads(modules, 'kafkajs') }).toEqual({ mongoose: true, kafkajs: true });
  });
});
