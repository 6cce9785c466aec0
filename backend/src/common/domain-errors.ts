/**
 * What a service refuses, in the domain's words. Services throw these; the one HTTP error
 * filter (common/http-edge.ts) turns each kind into its status, so controllers never
 * translate errors and never compare messages.
 */
export abstract class DomainError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 429;
  /** Seconds a client should wait before trying again (429). */
  readonly retryAfterS: number | null = null;
  /** A stable word a client may act on (the message is for people). */
  readonly code: string | null = null;
}

/** The request names something that does not exist (404). */
export class NotFoundError extends DomainError {
  readonly status = 404;
}

/** The request is well formed but asks for something the rules refuse (400). */
export class InvalidRequestError extends DomainError {
  readonly status = 400;
}

/** The request collides with the current state: a taken name, an alert already resolved (409). */
export class ConflictError extends DomainError {
  readonly status = 409;
}

/** The caller could not be identified (401). */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
}

/** The caller must wait: too many attempts (429 with Retry-After). */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  override readonly retryAfterS: number;

  constructor(message: string, retryAfterS: number) {
    super(message);
    this.retryAfterS = Math.max(1, Math.ceil(retryAfterS));
  }
}
