import type { ErrorCode } from '@messngr/contracts';

export type { ErrorCode } from '@messngr/contracts';

/** A refusal the client caused or may act on: its code (one of the closed list) reaches the client as is. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
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
    super('BAD_USER_INPUT', message, 400, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Authentication required.') {
    super('UNAUTHENTICATED', message, 401);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Not allowed.') {
    super('FORBIDDEN', message, 403);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found.`, 404);
  }
}

export class ConflictError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super(code, message, 409);
  }
}
