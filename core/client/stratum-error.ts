/** One fault of a request, with a JSON pointer into what was sent (`/phone`, `/filter/amount/gt`). */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
  hint?: string;
  [key: string]: unknown;
}

/**
 * A non-2xx answer of the API, from its `{ error: { code, message, details } }`. Match on `code`
 * (`stale`, `duplicate`, `invalid`, `forbidden`…), not on the message. Anything else the error
 * names (a duplicate's existing record, a stale record's `currentVersion`) is in `info`.
 */
export class StratumError extends Error {
  override readonly name = 'StratumError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    readonly info: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The error of a reply; a body that is not the API's error shape (a proxy's page) still gives one. */
  static fromReply(status: number, statusText: string, body: unknown): StratumError {
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    if (typeof error !== 'object' || error === null || typeof (error as { code?: unknown }).code !== 'string') {
      return new StratumError(status, `http_${status}`, `The server answered ${status} ${statusText}`.trim());
    }
    const { code, message, details, ...info } = error as { code: string; message?: unknown; details?: unknown };
    return new StratumError(status, code, typeof message === 'string' ? message : code, Array.isArray(details) ? (details as ErrorDetail[]) : [], info);
  }
}
