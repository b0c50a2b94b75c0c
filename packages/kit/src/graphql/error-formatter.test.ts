import { GraphQLError } from 'graphql';
import { BadUserInputError, DomainError } from '../errors/errors';
import { createErrorFormatter } from './error-formatter';

describe('error formatting', () => {
  const unexpected: unknown[] = [];
  const format = createErrorFormatter((error) => unexpected.push(error));

  it('keeps a domain error’s code and details', () => {
    const error = new GraphQLError('x', { originalError: new BadUserInputError('name is bad.', { field: 'name' }) });
    expect(format({ message: 'x' }, error)).toMatchObject({
      message: 'name is bad.',
      extensions: { code: 'BAD_USER_INPUT', field: 'name' },
    });
  });

  it('passes on what a subgraph answered (already masked there), without naming the subgraph', () => {
    const relayed = { message: 'That slug is already taken.', extensions: { code: 'SLUG_TAKEN', serviceName: 'tenant' } };
    expect(format(relayed, new GraphQLError(relayed.message, { extensions: relayed.extensions }))).toEqual({
      message: 'That slug is already taken.',
      extensions: { code: 'SLUG_TAKEN' },
    });
  });

  it('masks anything unexpected and hands it to the logger', () => {
    const boom = new Error('database password is hunter2');
    const formatted = format(
      { message: boom.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      new GraphQLError(boom.message, { originalError: boom }),
    );
    expect(formatted).toEqual({ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(unexpected).toContain(boom);
    expect(new DomainError('NOT_FOUND', 'y').code).toBe('NOT_FOUND');
  });
});
