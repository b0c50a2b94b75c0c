import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { composeSupergraph, REPO_ROOT, SUPERGRAPH_PATH } from './compose';

const composition = composeSupergraph();
for (const hint of composition.hints) console.warn(`hint: ${hint}`);
if (!composition.supergraphSdl) {
  for (const error of composition.errors) console.error(`error: ${error}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_PATH, composition.supergraphSdl);
console.log(
  `wrote ${relative(REPO_ROOT, SUPERGRAPH_PATH)}${composition.hints.length ? ` (${composition.hints.length} hints)` : ''}`,
);
