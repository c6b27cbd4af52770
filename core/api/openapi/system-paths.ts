/**
 * The paths that are not about one module's records: `/api/auth/*` (auth-routes.ts),
 * `/api/modules*` (module-routes.ts, change-routes.ts) and `/api/schema/*` (schema-routes.ts),
 * admins only, and this document itself.
 */
import type { JsonSchema } from '../../schema/module.js';
import { MISFIT_CODES } from '../../error-codes.js';
import { ASSET_NAMES } from './docs-page.js';
import { ref } from './refs.js';
import { bodyErrors, errors } from './responses.js';
import { documentedQuery } from './parameters.js';

export const AUTH_TAG = 'Authentication';
export const MODULES_TAG = 'Module definitions';
export const DOCS_TAG = 'API documentation';

const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const ok = (description: string, schema: JsonSchema) => ({ description, content: json(schema) });
const body = (schema: JsonSchema) => ({ required: true, content: json(schema) });
const user = { type: 'object', required: ['user'], properties: { user: ref('User') } };
const idParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'integer', minimum: 1 } });
const moduleParam = { name: 'module', in: 'path', required: true, description: 'The module name', schema: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' } };

/** A stored value that does not fit a changed field, with the reason as a code to word it by. */
const misfitExample: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, reason: { type: 'string' }, code: { enum: Object.keys(MISFIT_CODES) }, params: { type: 'object' } },
};
const planSchema: JsonSchema = {
  type: 'object',
  required: ['base', 'steps', 'token', 'applicable'],
  properties: {
    module: { type: 'string' }, base: { type: 'string' }, token: { type: 'string' }, applicable: { type: 'boolean' }, needsConfirmation: { type: 'boolean' },
    steps: { type: 'array', items: { type: 'object', required: ['kind', 'keepsData', 'rows', 'misfits', 'examples', 'affects'], properties: { kind: { type: 'string' }, keepsData: { type: 'boolean' }, rows: { type: 'integer' }, misfits: { type: 'integer' }, examples: { type: 'array', items: misfitExample }, affects: { type: 'array', items: { type: 'object' } } } } },
    blockers: { type: 'array', items: { type: 'object' } },
  },
};
const planReply: JsonSchema = { type: 'object', required: ['plan'], properties: { plan: planSchema } };
const snapshotSchema: JsonSchema = {
  type: 'object', required: ['version', 'modules'],
  properties: {
    version: { const: 1 },
    modules: { type: 'array', items: { type: 'object', required: ['name', 'definition'], properties: { name: { type: 'string' }, source: { enum: ['api', 'file', 'builtin'] }, base: { type: 'string' }, definition: { type: 'object' } }, additionalProperties: false } },
    against: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
  },
  additionalProperties: false,
};
const modulePlan: JsonSchema = { type: 'object', required: ['module', 'action', 'plan'], properties: { module: { type: 'string' }, action: { enum: ['create', 'change', 'drop'] }, plan: planSchema } };
const diffReply: JsonSchema = {
  type: 'object', required: ['plans', 'against'],
  properties: { plans: { type: 'array', items: modulePlan }, against: { type: 'object' }, skipped: { type: 'array', items: { type: 'object' } }, applicable: { type: 'boolean' }, needsConfirmation: { type: 'boolean' } },
};
const planQuery = {
  dryRun: { name: 'dryRun', in: 'query', required: false, description: 'true: answer the plan and change nothing', schema: { type: 'boolean' } },
  confirm: { name: 'confirm', in: 'query', required: false, description: 'The dry run\'s token, for a plan that loses data', schema: { type: 'string' } },
};

/** `/api/auth/*`: login and logout need no session; the rest are the caller's own. */
export function authPaths(): Record<string, JsonSchema> {
  const tags = [AUTH_TAG];
  return {
    '/api/auth/login': {
      post: {
        tags, operationId: 'auth.login', summary: 'Log in', security: [],
        description: 'Sets the HttpOnly session cookie. After 5 failed logins of a name (20 from an address) each attempt must wait, doubling from 1 s up to 15 minutes: 429 `too_many_attempts` with Retry-After, the password unchecked.',
        requestBody: body({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string', format: 'password' } }, additionalProperties: false }),
        responses: {
          200: { ...ok('Logged in', user), headers: { 'Set-Cookie': { description: 'The session cookie', schema: { type: 'string' } } } },
          ...errors(400, 401, 413, 415, 429),
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
        requestBody: body({ type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 128 }, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } }, additionalProperties: false }),
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
        description: 'The body is the new definition; its top-level `x-migration` (never stored) says what a diff cannot: `renames` (old → new field), `moduleRename`, `valueMap` (per field, stored value → new) and `onMisfit` (per field: refuse, null or default). `?dryRun=true` answers the plan and changes nothing. Values that do not fit are 409 `misfits`; a plan that loses data needs `?confirm=<plan.token>` (else 409 `confirmation_required`); a plan made on another stored definition is 409 `stale_definition`. Each 409 carries the plan.',
        parameters: documentedQuery('modules.update', planQuery),
        requestBody: body(ref('ModuleDefinition')),
        responses: { 200: ok('Changed, or the plan of a dry run', { oneOf: [entry, planReply] }), ...errors(...bodyErrors, 404, 409) },
      },
      delete: {
        tags, operationId: 'modules.delete', summary: 'Remove a module defined through the API; its table and history go to the trash',
        description: '`?dryRun=true` answers the plan. A module that holds records needs `?confirm=<plan.token>`.',
        parameters: documentedQuery('modules.delete', planQuery),
        responses: { 200: ok('Removed, or the plan of a dry run', { type: 'object', properties: { plan: planSchema, trash: { type: 'array', items: { type: 'object' } } } }), ...errors(401, 403, 404, 409) },
      },
    },
    '/api/modules/trash': {
      get: { tags, operationId: 'modules.trash', summary: 'Dropped fields, relations and modules, kept until purged', responses: { 200: ok('The trash', { type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }), ...errors(401, 403) } },
    },
    '/api/modules/trash/{entry}': {
      parameters: [idParam('entry', 'The trash entry')],
      delete: {
        tags, operationId: 'modules.trash.purge', summary: 'Delete a trash entry and its rows for good',
        description: 'Without `?confirm=<token>` answers 409 `confirmation_required` with the token.',
        parameters: documentedQuery('modules.trash.purge', { confirm: { name: 'confirm', in: 'query', required: false, description: 'The token the refusal answered', schema: { type: 'string' } } }),
        responses: { 204: { description: 'Purged' }, ...errors(401, 403, 404, 409) },
      },
    },
    '/api/modules/trash/{entry}/restore': {
      parameters: [idParam('entry', 'The trash entry')],
      post: { tags, operationId: 'modules.trash.restore', summary: 'Bring a dropped field, relation or module back with its rows', responses: { 200: ok('Restored', { type: 'object' }), ...errors(401, 403, 404, 409) } },
    },
    '/api/modules/{module}/changes': {
      parameters: [moduleParam],
      get: { tags, operationId: 'modules.changes', summary: 'The plans applied to a module: who, when, before and after, steps', responses: { 200: ok('The changes', { type: 'object', properties: { data: { type: 'array', items: { type: 'object' } } } }), ...errors(401, 403) } },
    },
    '/api/schema/snapshot': {
      get: {
        tags, operationId: 'schema.snapshot', summary: 'Every stored module definition, to move to another environment',
        description: '`{"version": 1, "modules": [{"name", "source", "base", "definition"}]}`, sorted by name; `source` marks built-in and file modules, which are never changed from a snapshot. See migrations/README.md.',
        responses: { 200: ok('The snapshot', snapshotSchema), ...errors(401, 403) },
      },
    },
    '/api/schema/diff': {
      post: {
        tags, operationId: 'schema.diff', summary: 'The plans that would make this database hold a snapshot\'s API modules; nothing changes',
        description: 'Each API module to create, change (as its definition\'s `x-migration` says) or drop, with its measured plan, in the order they are applied; `against` holds this database\'s bases, to send back with the apply. A snapshot with `against` that no longer holds is 409 `stale_definition`.',
        requestBody: body(snapshotSchema),
        responses: { 200: ok('The plans', diffReply), ...errors(...bodyErrors, 409) },
      },
    },
    '/api/schema/apply': {
      post: {
        tags, operationId: 'schema.apply', summary: 'Apply a snapshot: creates, then changes, then drops, in the order references allow',
        description: 'The body is a snapshot, or `{"snapshot", "against", "confirm": {"<module>": "<token>"}}`; tokens may also come as `?confirm=<token>,<token>`. Refused before anything changes when `against` no longer holds (409 `stale_definition`), when values do not fit (409 `misfits`), when a plan loses data without its token (409 `confirmation_required`) or cannot be applied (400 `change_unsupported`); each refusal carries the plans.',
        parameters: documentedQuery('schema.apply', { confirm: { name: 'confirm', in: 'query', required: false, description: 'Tokens of the plans that lose data, comma-separated', schema: { type: 'string' } } }),
        requestBody: body({ type: 'object' }),
        responses: { 200: ok('Applied', { type: 'object', properties: { applied: { type: 'array', items: modulePlan }, skipped: { type: 'array', items: { type: 'object' } } } }), ...errors(...bodyErrors, 409) },
      },
    },
    '/api/modules/{module}/changes/{id}/revert': {
      parameters: [moduleParam, idParam('id', 'The change, from the module\'s change list')],
      post: {
        tags, operationId: 'modules.changes.revert', summary: 'Take the module back to its definition before a change',
        description: 'A new plan from the current definition back to the change\'s `before`, undoing it and every change since: renames back, the module\'s name back, renamed choices back. `?dryRun=true` answers the plan; a plan that loses data needs `?confirm=<plan.token>`. Values a change dropped come back from the trash: restore its entry first (else the plan is refused with `restore_first`). An optional body `{"x-migration": {"onMisfit", "valueMap"}}` says what becomes of values that do not fit back.',
        parameters: documentedQuery('modules.changes.revert', planQuery),
        requestBody: { required: false, content: json({ type: 'object', properties: { 'x-migration': { type: 'object' } }, additionalProperties: false }) },
        responses: { 200: ok('Reverted, or the plan of a dry run', { oneOf: [{ type: 'object', properties: { name: { type: 'string' }, definition: { type: 'object' }, plan: planSchema } }, planReply] }), ...errors(...bodyErrors, 404, 409) },
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
