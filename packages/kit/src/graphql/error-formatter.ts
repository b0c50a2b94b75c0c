import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { DomainError } from '../errors/errors';

/** Codes that graphql-js / Apollo produce for malformed requests: safe to show as they are. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/**
 * Apollo `formatError`: domain errors keep their code (request-limit refusals too, which
 * Apollo wraps as validation failures); request errors pass; anything else is masked as
 * INTERNAL_SERVER_ERROR and handed to `onUnexpected` for logging.
 */
export function createErrorFormatter(onUnexpected: (error: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapOriginal(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...(original.details ?? {}) },
      };
    }
    const code = formatted.extensions?.['code'];
    const relayedFrom = formatted.extensions?.['serviceName'];
    if (typeof relayedFrom === 'string' && typeof code === 'string' && code !== 'DOWNSTREAM_SERVICE_ERROR') {
      // Relayed by the gateway from a subgraph, whose own formatter already masked it.
      const { serviceName: _serviceName, ...extensions } = formatted.extensions ?? {};
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
    }
    onUnexpected(original ?? error);
    return {
      message: 'Internal server error.',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function unwrapOriginal(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    if (current instanceof GraphQLError && current.originalError) current = current.originalError;
    else break;
  }
  return current;
}
