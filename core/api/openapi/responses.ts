/**
 * The one error shape of core/errors.ts and core/api/errors.ts, and the error responses every
 * operation names by reference (`#/components/responses/NotFound`).
 */
import type { JsonSchema } from '../../schema/module.js';
import { DETAIL_CODES, ERROR_CODES, PLUGIN_OFF } from '../../error-codes.js';
import { ref } from './refs.js';

export const errorSchemas: Record<string, JsonSchema> = {
  Error: {
    title: 'Error',
    description: 'Every failure: a stable `code` to match on, a message that says what to do, and one detail per fault. Some codes add fields (`permission` on 403, `existing` on a duplicate, `currentVersion` on a stale update).',
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            description: `One of the engine's codes (docs/ERRORS.md), or \`${PLUGIN_OFF.code}\` for a route of a disabled plugin.`,
            anyOf: [{ enum: Object.keys(ERROR_CODES) }, { type: 'string', pattern: '^[a-z][a-z0-9_]*_off$' }],
          },
          message: { type: 'string' },
          details: { type: 'array', items: ref('ErrorDetail') },
        },
      },
    },
    additionalProperties: false,
  },
  ErrorDetail: {
    type: 'object',
    required: ['path', 'message'],
    properties: {
      path: { type: 'string', description: 'A JSON pointer into the request body, the definition, or the query parameter (`/phone`, `/filter/and/0/amount/gt`).' },
      message: { type: 'string' },
      code: {
        description: 'One of the engine\'s detail codes (docs/ERRORS.md); a plugin\'s hook that refuses a write names its own.',
        anyOf: [{ enum: Object.keys(DETAIL_CODES) }, { type: 'string', pattern: '^[a-z][a-z0-9_]*$' }],
      },
      hint: { type: 'string' },
    },
  },
};

const errorResponse = (description: string): JsonSchema => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

/** `#/components/responses`. */
export const errorResponses: Record<string, JsonSchema> = {
  BadRequest: errorResponse('Bad input: nothing was written. `details` has a JSON pointer per fault.'),
  Unauthenticated: errorResponse('Not logged in: log in with `POST /api/auth/login`, or send `Authorization: Bearer <token>`.'),
  Forbidden: errorResponse('Not allowed: the error names the missing permission (`customer:create`).'),
  NotFound: errorResponse('No such module or record, or one you may not see.'),
  Conflict: errorResponse('A conflict: a duplicate (`duplicate`, naming the existing record and its owner), a record changed since it was read (`stale`), or one still referenced (`referenced`). Nothing was written.'),
  TooLarge: errorResponse('`too_large`: the request body is larger than 2 MiB, or an uploaded file larger than its limit (detail path `/file`). Nothing was kept.'),
  UnsupportedMediaType: errorResponse('The body must be sent as `Content-Type: application/json`.'),
  TooManyAttempts: { ...errorResponse('Too many failed logins for this name or from this address (`too_many_attempts`): try again after Retry-After seconds. The password was not checked.'), headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } },
};

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429;
const BY_STATUS: Record<Status, string> = {
  400: 'BadRequest', 401: 'Unauthenticated', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 413: 'TooLarge', 415: 'UnsupportedMediaType', 429: 'TooManyAttempts',
};

/** The error responses of an operation, by reference. */
export const errors = (...statuses: Status[]): Record<string, JsonSchema> =>
  Object.fromEntries(statuses.map((s) => [String(s), { $ref: `#/components/responses/${BY_STATUS[s]}` }]));

/** The errors of an operation that takes a JSON body. */
export const bodyErrors: Status[] = [400, 401, 403, 413, 415];
