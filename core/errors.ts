/**
 * One error type for everything that reaches a client. Domain errors are made by small named
 * factories with a stable `code`, so that callers, tests and the UI match on codes, not messages.
 */

export interface ErrorDetail {
  /** JSON pointer into the request payload or definition, e.g. `/phone`. */
  readonly path: string;
  readonly message: string;
  readonly code?: string;
  readonly hint?: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details.length > 0 ? { details: this.details } : {}),
        ...this.extra,
      },
    };
  }
}

export const badRequest = (code: string, message: string, details: readonly ErrorDetail[] = []) =>
  new HttpError(400, code, message, details);

export const invalidInput = (details: readonly ErrorDetail[]) =>
  new HttpError(
    400,
    'invalid',
    `${details.length} field${details.length === 1 ? ' is' : 's are'} invalid; nothing was written`,
    details,
  );

export const unauthenticated = () =>
  new HttpError(401, 'unauthenticated', 'Log in first: POST /api/auth/login, or send Authorization: Bearer <token>');

export const forbidden = (permission: string, message?: string) =>
  new HttpError(403, 'forbidden', message ?? `Missing permission: ${permission}`, [], { permission });

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} was not found`);

export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new HttpError(409, code, message, [], extra);
