import { buildSchema, parse, validate } from 'graphql';
import { requestLimitRules, tokenLimitProblem } from './request-limits';

const schema = buildSchema(`type Node { id: ID! child: Node } type Query { node: Node }`);

function codes(query: string, limits = { maxDepth: 3, maxAliases: 2, maxTokens: 1000 }): unknown[] {
  return validate(schema, parse(query), requestLimitRules(limits)).map((error) => error.extensions['code']);
}

/** F0 spreads F1 twice, F1 spreads F2 twice, ...: 2^n paths through n fragments of a few tokens each. */
function doublingFragments(n: number): string {
  const fragments = Array.from({ length: n }, (_, i) =>
    i === n - 1 ? `fragment F${i} on Node { id }` : `fragment F${i} on Node { child { ...F${i + 1} } ...F${i + 1} }`,
  );
  return `{ node { ...F0 } } ${fragments.join(' ')}`;
}

describe('request limits', () => {
  it('lets a shallow query through', () => {
    expect(codes('{ node { child { id } } }')).toEqual([]);
  });

  it('refuses depth beyond the limit, through fragments too', () => {
    expect(codes('{ node { child { child { id } } } }')).toEqual(['QUERY_TOO_DEEP']);
    expect(codes('{ node { ...F } } fragment F on Node { child { child { id } } }')).toEqual(['QUERY_TOO_DEEP']);
  });

  it('counts fragments once however often they are spread, so nested doubling spreads stay cheap', () => {
    // 2^60 paths: walking each one (as the rule once did) would never finish.
    expect(codes(doublingFragments(60), { maxDepth: 12, maxAliases: 30, maxTokens: 5000 })).toEqual(['QUERY_TOO_DEEP']);
    expect(codes(doublingFragments(8), { maxDepth: 12, maxAliases: 30, maxTokens: 5000 })).toEqual([]);
  });

  it('refuses too many aliases', () => {
    expect(codes('{ a: node { id } b: node { id } c: node { id } }')).toEqual(['TOO_MANY_ALIASES']);
  });

  it('counts tokens before parsing and stops at the first one over the limit', () => {
    expect(tokenLimitProblem('{ node { id } }', 6)).toBeUndefined();
    expect(tokenLimitProblem('{ node { id } }', 5)?.code).toBe('TOO_MANY_TOKENS');
    expect(tokenLimitProblem(`{ ${'a '.repeat(1_000_000)}}`, 100)?.code).toBe('TOO_MANY_TOKENS');
    // Unlexable input is left to the parser, which answers GRAPHQL_PARSE_FAILED.
    expect(tokenLimitProblem('{ "unterminated', 100)).toBeUndefined();
  });
});
