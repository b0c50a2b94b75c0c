import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * Stable error codes carried in `extensions.code`. Clients and tests match on these,
 * never on messages.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends DomainError {
  constructor(message: string, details?: { field?: string } & Record<string, unknown>) {
    super(ErrorCode.BAD_USER_INPUT, message, 400, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required.') {
    super(ErrorCode.UNAUTHENTICATED, message, 401);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Not allowed.') {
    super(ErrorCode.FORBIDDEN, message, 403);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(ErrorCode.NOT_FOUND, `${what} not found.`, 404);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

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

export function toGraphQLError(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    extensions: { code: error.code, ...(error.details ?? {}) },
    originalError: error,
  });
}

/**
 * Apollo `formatError`: domain errors keep their code; request errors pass; anything else
 * is masked as INTERNAL_SERVER_ERROR and handed to `onUnexpected` for logging.
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
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
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
