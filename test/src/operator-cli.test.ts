import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'scripts/cli.ts');

describe('operator CLI', () => {
  it('refuses to mint an admin token in production, before touching any database', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', CLI, 'admin-token'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'production', MONGODB_URI: 'mongodb://127.0.0.1:1' },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect('code' in result ? result.code : 0).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/refused when NODE_ENV=production/);
  });

  it('explains its commands and rejects unknown ones', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', CLI, 'make-coffee'], { cwd: ROOT }).catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect('code' in result ? result.code : 0).toBe(2);
    expect(result.stderr).toMatch(/admin-token/);
  });
});
