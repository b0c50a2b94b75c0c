import path from 'node:path';

/** The infra workspace folder (holds kafka/ and ferretdb/ sources). */
export const infraDir = path.resolve(__dirname, '..');

/** The monorepo root. */
export const repoRoot = path.resolve(infraDir, '..');

/** Built artifacts (Kafka jars, FerretDB binary), reused across runs; git-ignored. */
export const cacheDir = path.join(repoRoot, '.cache', 'infra');

/** Local runtime state of the dev stack (state file, supervisor log); git-ignored. */
export const stateDir = path.join(repoRoot, '.data', 'infra');
