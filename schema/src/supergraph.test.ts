import { readFileSync } from 'node:fs';
import { composeSupergraph, SUPERGRAPH_PATH } from './compose';
import { undescribedElements } from './schema-descriptions';

describe('the committed supergraph', () => {
  const composition = composeSupergraph();

  it('composes without errors or hints', () => {
    expect(composition.errors).toEqual([]);
    expect(composition.hints).toEqual([]);
  });

  it('is what the subgraph schemas compose to today (run `npm run compose` after changing a schema.graphql)', () => {
    expect(readFileSync(SUPERGRAPH_PATH, 'utf8')).toBe(composition.supergraphSdl);
  });

  it('describes every type, field, argument, enum value and input field (partners read the schema as documentation)', () => {
    expect(undescribedElements(composition.supergraphSdl!)).toEqual([]);
  });
});
