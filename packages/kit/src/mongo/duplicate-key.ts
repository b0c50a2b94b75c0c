/**
 * A unique index (or `_id`) refused a duplicate: E11000 on MongoDB and on FerretDB inserts.
 * FerretDB v1 reports the same refusal on an *update* as an InternalError carrying
 * PostgreSQL's unique-violation (SQLSTATE 23505), so that is recognised too.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 11000) return true;
  return typeof message === 'string' && /SQLSTATE 23505|duplicate key value violates unique constraint/.test(message);
}
