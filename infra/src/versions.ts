import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { infraDir } from './paths';

// The pom and go.mod are the single source of truth for the versions.

export function kafkaVersion(): string {
  const pom = readFileSync(path.join(infraDir, 'kafka', 'pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error('infra/kafka/pom.xml has no <kafka.version> property');
  return match[1].trim();
}

export function ferretdbVersion(): string {
  const goMod = readFileSync(path.join(infraDir, 'ferretdb', 'go.mod'), 'utf8');
  const match = /github\.com\/FerretDB\/FerretDB (v[^\s]+)/.exec(goMod);
  if (!match?.[1]) throw new Error('infra/ferretdb/go.mod does not require github.com/FerretDB/FerretDB');
  return match[1];
}

/** Short hash of the Go wrapper sources, so an edited main.go never runs a stale cached binary. */
export function ferretdbSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) {
    hash.update(readFileSync(path.join(infraDir, 'ferretdb', file)));
  }
  return hash.digest('hex').slice(0, 8);
}
