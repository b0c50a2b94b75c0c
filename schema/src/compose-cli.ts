import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ASYNCAPI_PATH, renderAsyncApi } from './asyncapi';
import { composeSupergraph, REPO_ROOT, SUPERGRAPH_PATH } from './compose';
import { README_PATH, readmeWithErrorCodes } from './readme-error-codes';

/** `npm run compose`: every document generated from the subgraph schemas and the contracts. */
const composition = composeSupergraph();
for (const hint of composition.hints) console.warn(`hint: ${hint}`);
if (!composition.supergraphSdl) {
  for (const error of composition.errors) console.error(`error: ${error}`);
  process.exit(1);
}
writeFileSync(SUPERGRAPH_PATH, composition.supergraphSdl);
writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
writeFileSync(README_PATH, readmeWithErrorCodes());
for (const path of [SUPERGRAPH_PATH, ASYNCAPI_PATH, README_PATH]) console.log(`wrote ${relative(REPO_ROOT, path)}`);
