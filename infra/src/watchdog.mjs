// Plain JavaScript on purpose: it runs with bare `node`, without the TypeScript loader.
//
//   node watchdog.mjs watch '{"parentPid":123,"plan":{...}}'   clean up once the parent is gone
//   node watchdog.mjs now '{...plan...}'                        clean up right away
//
// The plan is a CleanupPlan (see cleanup-plan.ts). SIGTERM ends a watcher without cleaning up:
// that is how stop() dismisses it after a normal shutdown.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  try {
    // a zombie nobody reaped yet is gone for our purposes
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function readPid(file) {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

function kill(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function stopPostgres({ pgCtl, dataDir, runAsUser }) {
  const pid = readPid(path.join(dataDir, 'postmaster.pid'));
  if (pid === null || !isAlive(pid)) return;
  const args = ['stop', '-m', 'immediate', '-w', '-t', '10', '-D', dataDir];
  const [command, commandArgs] = runAsUser ? ['runuser', ['-u', runAsUser, '--', pgCtl, ...args]] : [pgCtl, args];
  spawnSync(command, commandArgs, { stdio: 'ignore', cwd: '/', timeout: 15000 });
  if (isAlive(pid)) kill(pid, 'SIGKILL');
}

function cleanup(plan) {
  const pids = plan.pidFiles.map(readPid).filter((pid) => pid !== null && isAlive(pid));
  for (const pid of pids) kill(pid, 'SIGKILL');
  for (const postgres of plan.postgres) stopPostgres(postgres);
  for (let i = 0; i < 50 && pids.some(isAlive); i++) sleepSync(100);
  for (const dir of plan.removeDirs) fs.rmSync(dir, { recursive: true, force: true });
}

function watch({ parentPid, plan }) {
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGINT', () => {});
  process.on('SIGHUP', () => {});
  setInterval(() => {
    if (process.ppid === parentPid && isAlive(parentPid)) return;
    cleanup(plan);
    process.exit(0);
  }, 1000);
}

const [mode, json] = process.argv.slice(2);
if (mode === 'watch' && json) watch(JSON.parse(json));
else if (mode === 'now' && json) cleanup(JSON.parse(json));
else {
  process.stderr.write('usage: watchdog.mjs watch <json> | now <json>\n');
  process.exit(2);
}
