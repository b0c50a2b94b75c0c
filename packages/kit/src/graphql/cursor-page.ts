import { BadUserInputError } from '../errors/errors';

export interface Page<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 100;

/** Checks `first` (1..100) and decodes `after`; query `first + 1` items to learn whether more follow. */
export function pageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
): { limit: number; after: string | null } {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}.`, { field: 'first' });
  }
  return { limit: size, after: after ? decodeCursor(after) : null };
}

/** Builds a page from up to `limit + 1` items fetched in order. */
export function toPage<Node>(items: Node[], limit: number, keyOf: (node: Node) => string): Page<Node> {
  const nodes = items.slice(0, limit);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return { edges, pageInfo: { hasNextPage: items.length > limit, endCursor: edges.at(-1)?.cursor ?? null } };
}

export function encodeCursor(key: string): string {
  return Buffer.from(`v1:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('v1:') || decoded.length < 4)
    throw new BadUserInputError('after is not a valid cursor.', { field: 'after' });
  return decoded.slice(3);
}
