/**
 * One error type for everything that reaches a client. Domain errors are made by small named
 * factories with a stable `code`, so that callers, tests and the UI match on codes, not messages.
 * The engine's codes are the catalogue's (core/error-codes.ts): the factories take only those.
 */
import type { DetailCode, ErrorCode, ErrorStatus, StatusOf } from './error-codes.js';

/** One fault at a JSON pointer. The engine's details carry catalogue codes; a plugin's carry its own (`ErrorDetail<string>`). */
export interface ErrorDetail<C extends string = DetailCode> {
  /** JSON pointer into the request payload or definition, e.g. `/phone`. */
  readonly path: string;
  readonly message: string;
  readonly code?: C;
  readonly hint?: string;
}

/**
 * The error answer itself. Its constructor takes any code because plugins answer with their own
 * and a rethrow keeps the code it caught; the engine constructs it through `httpError` and the
 * helpers below, which take catalogue codes only.
 */
export class HttpError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail<string>[] = [],
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

/** An error with a catalogue code, answered with one of the statuses the catalogue gives it. */
export const httpError = <C extends ErrorCode>(
  status: StatusOf<C>,
  code: C,
  message: string,
  details: readonly ErrorDetail[] = [],
  extra: Readonly<Record<string, unknown>> = {},
) => new HttpError(status, code, message, details, extra);

type CodeWith<S extends ErrorStatus> = { [C in ErrorCode]: S extends StatusOf<C> ? C : never }[ErrorCode];

export const badRequest = (code: CodeWith<400>, message: string, details: readonly ErrorDetail[] = []) =>
  httpError(400, code, message, details);

export const invalidInput = (details: readonly ErrorDetail[]) => invalidWith(details);

/** 400 `invalid` with details whose codes are a plugin's own. */
export const invalidWith = (details: readonly ErrorDetail<string>[]) =>
  new HttpError(
    400,
    'invalid' satisfies ErrorCode,
    `${details.length} field${details.length === 1 ? ' is' : 's are'} invalid; nothing was written`,
    details,
  );

export const unauthenticated = () =>
  httpError(401, 'unauthenticated', 'Log in first: POST /api/auth/login, or send Authorization: Bearer <token>');

export const forbidden = (permission: string, message?: string) =>
  httpError(403, 'forbidden', message ?? `Missing permission: ${permission}`, [], { permission });

export const notFound = (what: string) => httpError(404, 'not_found', `${what} was not found`);

export const conflict = (code: CodeWith<409>, message: string, extra: Record<string, unknown> = {}) =>
  httpError(409, code, message, [], extra);

/** 404 `<plugin>_off` (core/error-codes.ts PLUGIN_OFF): a route of a disabled plugin. */
export const pluginOff = (plugin: string, message: string) => new HttpError(404, `${plugin}_off`, message);
