import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildOnce } from './cache';
import { runChecked } from './command';
import { seconds } from './elapsed';
import { cacheDir, infraDir } from './paths';
import { requireGo } from './prerequisites';
import { ferretdbSourceHash, ferretdbVersion } from './versions';

export interface FerretDBBinary {
  version: string;
  binary: string;
}

export function ferretdbBinary(): FerretDBBinary {
  const version = ferretdbVersion();
  return { version, binary: path.join(cacheDir, `ferretdb-${version}-${ferretdbSourceHash()}`, 'ferretdb') };
}

/** Builds infra/ferretdb (the embeddable FerretDB wrapper) into the cache, once. */
export async function ensureFerretDBBinary(log: (line: string) => void): Promise<FerretDBBinary> {
  const result = ferretdbBinary();
  const started = Date.now();
  const built = await buildOnce(
    path.dirname(result.binary),
    (dir) => existsSync(path.join(dir, 'ferretdb')),
    async (tempDir) => {
      const go = await requireGo();
      log(`building FerretDB ${result.version} with Go (first run, 1-3 min)...`);
      await runChecked(go, ['build', '-trimpath', '-o', path.join(tempDir, 'ferretdb'), '.'], {
        cwd: path.join(infraDir, 'ferretdb'),
        // GOTOOLCHAIN=local: never try to download another Go toolchain
        env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
      });
    },
  );
  if (built) log(`FerretDB ${result.version} built in ${seconds(started)}`);
  return result;
}
