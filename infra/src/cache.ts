import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const STALE_TEMP_MS = 6 * 60 * 60 * 1000;

/**
 * Makes sure `finalDir` holds a complete build. The build runs in a fresh temp folder next to
 * it that is renamed into place at the end, so concurrent runs never see a half-built folder:
 * if another run wins the rename, its result is kept and ours is discarded.
 *
 * Returns true when this call did the build.
 */
export async function buildOnce(
  finalDir: string,
  isComplete: (dir: string) => boolean,
  build: (tempDir: string) => Promise<void>,
): Promise<boolean> {
  if (isComplete(finalDir)) return false;

  const parent = path.dirname(finalDir);
  const tempPrefix = `.${path.basename(finalDir)}.tmp-`;
  await mkdir(parent, { recursive: true });
  await removeStaleTemps(parent, tempPrefix);

  const tempDir = await mkdtemp(path.join(parent, tempPrefix));
  try {
    await build(tempDir);
    if (!isComplete(tempDir)) throw new Error(`build into ${tempDir} finished but its output is incomplete`);
    try {
      await rename(tempDir, finalDir);
    } catch (error) {
      if (isComplete(finalDir)) return true; // a concurrent run finished first
      if (!existsSync(finalDir)) throw error;
      // a broken leftover (e.g. deleted by hand half-way): replace it
      await rm(finalDir, { recursive: true, force: true });
      await rename(tempDir, finalDir);
    }
    return true;
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

async function removeStaleTemps(parent: string, prefix: string): Promise<void> {
  for (const entry of await readdir(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const dir = path.join(parent, entry);
    const info = await stat(dir).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await rm(dir, { recursive: true, force: true });
  }
}
