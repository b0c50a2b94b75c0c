import { buildSchema, parse, validate } from 'graphql';
import { requestLimitRules } from './request-limits';

const schema = buildSchema(`type Node { id: ID! child: Node } type Query { node: Node }`);

function codes(query: string): unknown[] {
  return validate(schema, parse(query), requestLimitRules({ maxDepth: 3, maxAliases: 2 })).map(
    (error) => error.extensions['code'],
  );
}

describe('request limits', () => {
  it('lets a shallow query through', () => {
    expect(codes('{ node { child { id } } }')).toEqual([]);
  });

  it('refuses depth beyond the limit, through fragments too', () => {
    expect(codes('{ node { child { child { id } } } }')).toEqual(['QUERY_TOO_DEEP']);
    expect(codes('{ node { ...F } } fragment F on Node { child { child { id } } }')).toEqual(['QUERY_TOO_DEEP']);
  });

  it('refuses too many aliases', () => {
    expect(codes('{ a: node { id } b: node { id } c: node { id } }')).toEqual(['TOO_MANY_ALIASES']);
  });
});
