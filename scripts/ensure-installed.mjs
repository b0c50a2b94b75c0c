// Runs before `npm start` and `npm test` (npm's pre-scripts), before any dependency exists:
// so it uses nothing but Node. It installs the dependencies from the lockfile when they are
// missing or older than it, and otherwise costs a few milliseconds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.messngr-installed');
const npmHiddenLockfile = join(root, 'node_modules', '.package-lock.json');

const wanted = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
const stamped = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
// An `npm install` run by hand leaves npm's own hidden lockfile newer than package-lock.json.
const installedByHand = existsSync(npmHiddenLockfile) && statSync(npmHiddenLockfile).mtimeMs >= statSync(lockfile).mtimeMs;

if (stamped !== wanted && !installedByHand) {
  process.stderr.write('[setup] installing dependencies from package-lock.json (npm install, no install scripts)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // npm's report goes to stderr: `npm start` keeps stdout for its one ready line.
  const result = spawnSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
writeFileSync(stamp, `${wanted}\n`);
