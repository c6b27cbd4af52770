/**
 * The paths that are not about one module's records: `/api/auth/*` (auth-routes.ts),
 * `/api/modules*` (module-routes.ts, admins only) and this document itself.
 */
import type { JsonSchema } from '../../schema/module.js';
import { ASSET_NAMES } from './docs-page.js';
import { ref } from './refs.js';
import { bodyErrors, errors } from './responses.js';

export const AUTH_TAG = 'Authentication';
export const MODULES_TAG = 'Module definitions';
export const DOCS_TAG = 'API documentation';

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const body = (schema: JsonSchema) => ({ required: true, content: json(schema) });
const user = { type: 'object', required: ['user'], properties: { user: ref('User') } };
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', minimum: 1 } });
const moduleParam = { name: 'module', in: 'path', required: true, description: 'The module name', schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } };

/** `/api/auth/*`: login and logout need no session; the rest are the caller's own. */
export function authPaths(): Record<string, JsonSchema> {
  const tags = [AUTH_TAG];
  return {
    '/api/auth/login': {
      post: {
        tags, operationId: 'auth.login', summary: 'Log in', security: [],
        description: 'Sets the HttpOnly session cookie.',
        requestBody: body({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string', format: 'password' } } }),
        responses: {
          200: { ...ok('Logged in', user), headers: { 'Set-Cookie': { description: 'The session cookie', schema: { type: 'string' } } } },
          ...errors(400, 401, 413, 415),
        },
      },
    },
    '/api/auth/logout': {
      post: { tags, operationId: 'auth.logout', summary: 'Log out', security: [], responses: { 204: { description: 'The session is ended and the cookie cleared' } } },
    },
    '/api/auth/me': {
      get: { tags, operationId: 'auth.me', summary: 'The signed-in user', responses: { 200: ok('You', user), ...errors(401) } },
    },
    '/api/auth/tokens': {
      get: {
        tags, operationId: 'auth.tokens.list', summary: 'Your API tokens',
        responses: { 200: ok('Tokens (never the secret)', { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('Token') } } }), ...errors(401) },
      },
      post: {
        tags, operationId: 'auth.tokens.create', summary: 'Create an API token',
        description: 'The token is shown once. Send it as `Authorization: Bearer <token>`; it reaches no further than you.',
        requestBody: body({ type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } } }),
        responses: {
          201: ok('The token', {
            type: 'object',
            required: ['id', 'name', 'token', 'expiresAt'],
            properties: { id: { type: 'integer' }, name: { type: 'string' }, token: { type: 'string' }, expiresAt: { type: ['string', 'null'], format: 'date-time' }, note: { type: 'string' } },
          }),
          ...errors(...bodyErrors),
        },
      },
    },
    '/api/auth/tokens/{id}': {
      delete: {
        tags, operationId: 'auth.tokens.revoke', summary: 'Revoke one of your API tokens',
        parameters: [idParam('id', 'The token id')],
        responses: { 204: { description: 'Revoked' }, ...errors(401, 404) },
      },
    },
  };
}

/** `/api/modules*`: listed only for admins, the only callers it answers. */
export function modulePaths(): Record<string, JsonSchema> {
  const tags = [MODULES_TAG];
  const entry = ref('ModuleEntry');
  return {
    '/api/modules': {
      get: { tags, operationId: 'modules.list', summary: 'Every module definition', responses: { 200: ok('Definitions', { type: 'object', required: ['data'], properties: { data: { type: 'array', items: entry } } }), ...errors(401, 403) } },
      post: {
        tags, operationId: 'modules.create', summary: 'Define a module',
        description: 'Creates its table; its endpoints answer from the next request on, in every process. A bad definition is refused whole (400 `invalid_definition`, a JSON pointer per finding).',
        requestBody: body(ref('ModuleDefinition')),
        responses: { 201: ok('Defined', entry), ...errors(...bodyErrors, 409) },
      },
    },
    '/api/modules/{module}': {
      parameters: [moduleParam],
      get: { tags, operationId: 'modules.get', summary: 'One module definition', responses: { 200: ok('The definition', entry), ...errors(401, 403, 404) } },
      put: {
        tags, operationId: 'modules.update', summary: 'Change a module defined through the API',
        description: 'Additive changes only: new fields, references, relations, indexes, labels and checks. Anything that would alter or drop stored data is refused with 400 `change_unsupported`.',
        requestBody: body(ref('ModuleDefinition')),
        responses: { 200: ok('Changed', entry), ...errors(...bodyErrors, 404, 409) },
      },
      delete: {
        tags, operationId: 'modules.delete', summary: 'Remove a module defined through the API, and its table',
        responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404, 409) },
      },
    },
  };
}

/** `/api/openapi.json` and the `/api/docs` page with its files. */
export function docsPaths(): Record<string, JsonSchema> {
  const tags = [DOCS_TAG];
  return {
    '/api/openapi.json': {
      get: {
        tags, operationId: 'docs.openapi', summary: 'This document',
        description: 'Built from the module definitions of the request\'s generation, with only the modules and operations you may use.',
        responses: { 200: ok('OpenAPI 3.1', { type: 'object' }), ...errors(401) },
      },
    },
    '/api/docs': {
      get: {
        tags, operationId: 'docs.page', summary: 'This document, browsable', security: [],
        responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: { type: 'string' } } } } },
      },
    },
    '/api/docs/{asset}': {
      get: {
        tags, operationId: 'docs.asset', summary: 'A file of the page (Swagger UI, from swagger-ui-dist)', security: [],
        parameters: [{ name: 'asset', in: 'path', required: true, schema: { type: 'string', enum: ASSET_NAMES } }],
        responses: { 200: { description: 'The file' }, ...errors(404) },
      },
    },
  };
}
