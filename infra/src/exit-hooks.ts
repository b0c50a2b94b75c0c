import type { CleanupPlan } from './cleanup-plan';
import { cleanupNowSync, type Watchdog } from './watchdog';

interface Registration {
  plan: CleanupPlan;
  watchdog: Watchdog;
}

const active = new Set<Registration>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

/**
 * Tears the infrastructure down synchronously when this process exits, or is ended by a signal
 * nobody else handles. Returns the function that unregisters it after a normal stop().
 */
export function cleanUpOnExit(plan: CleanupPlan, watchdog: Watchdog): () => void {
  install();
  const registration: Registration = { plan, watchdog };
  active.add(registration);
  return () => {
    active.delete(registration);
  };
}

function cleanUpAll(): void {
  for (const registration of active) {
    cleanupNowSync(registration.plan);
    registration.watchdog.dismiss();
  }
  active.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal (e.g. the dev supervisor stops gracefully): the 'exit'
  // hook or the watchdog cover us if they end the process.
  if (process.listenerCount(signal) > 1) return;
  cleanUpAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal); // default action: die of the signal, as without us
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUpAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}
