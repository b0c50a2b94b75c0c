import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'graphql';
import { SUBGRAPHS } from '@messngr/contracts';

export const REPO_ROOT = join(__dirname, '..', '..');
export const SUPERGRAPH_PATH = join(REPO_ROOT, 'schema', 'supergraph.graphql');

export interface Composition {
  supergraphSdl?: string;
  errors: string[];
  hints: string[];
}

/** Composes the subgraphs' schema.graphql files; the gateway swaps in configured URLs at run time. */
export function composeSupergraph(): Composition {
  const result = composeServices(
    SUBGRAPHS.map(({ name, port, schema }) => ({
      name,
      url: `http://127.0.0.1:${port}/graphql`,
      typeDefs: parse(readFileSync(join(REPO_ROOT, schema), 'utf8')),
    })),
  );
  const hints = (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) return { errors: result.errors.map((error) => error.message), hints };
  return { supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`, errors: [], hints };
}
