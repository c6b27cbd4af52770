/**
 * The OpenAPI 3.1 document of one caller at one generation: pure, from the module graph and the
 * caller's Access. The same generation and grants give the same document in every process.
 */
import { grantedActions, type Access } from '../../rules/access.js';
import { SESSION_COOKIE } from '../../auth/session-adapter.js';
import type { JsonSchema, ModuleGraph } from '../../schema/module.js';
import { dataPaths } from './data-paths.js';
import { filterSchemas } from './filter-schema.js';
import { sharedParameters } from './parameters.js';
import { errorResponses, errorSchemas, errors } from './responses.js';
import { moduleSchemas, type View } from './schemas.js';
import { sharedSchemas } from './shared-schemas.js';
import { AUTH_TAG, DOCS_TAG, MODULES_TAG, authPaths, docsPaths, modulePaths } from './system-paths.js';
import { filePaths, FILES_TAG } from './file-paths.js';

const DESCRIPTION = `Every module is a JSON Schema definition; each gets the same REST API under
\`/api/data/<module>\`. This document is generated from the definitions the server runs now, and
shows only the modules and operations you may use.

- Log in with \`POST /api/auth/login\` (a session cookie), or send \`Authorization: Bearer <token>\`.
- Records you may not see behave as if they did not exist (404, absent from lists and totals).
- Every error is \`{"error": {"code", "message", "details": [{"path", "message", "code"}]}}\`,
  with a JSON pointer per fault; a 4xx means nothing was written.
- A query parameter an operation does not list is refused with 400 \`unknown_parameter\`, and a
  body field it does not know with 400 \`unknown_field\` (or \`invalid\` for a record): never ignored.`;

/** The whole document, as JSON, for `access.actor` at `graph.generation`. */
export function openApiDocument(graph: ModuleGraph, access: Access): JsonSchema {
  const granted = new Map([...graph.modules.values()].map((m) => [m.name, new Set(grantedActions(access, m))]));
  const readable = [...graph.modules.values()].filter((m) => granted.get(m.name)!.has('read')).sort((a, b) => a.name.localeCompare(b.name));
  const view: View = { access, readable: (name) => granted.get(name)?.has('read') ?? false };
  const admin = access.actor.isAdmin;

  const paths: Record<string, JsonSchema> = { ...authPaths(), ...docsPaths(), ...filePaths(), ...(admin ? modulePaths() : {}) };
  const schemas: Record<string, JsonSchema> = { ...errorSchemas, ...filterSchemas(), ...sharedSchemas() };
  for (const module of readable) {
    const allowed = granted.get(module.name)!;
    const files = [...module.fields.values()].filter((f) => f.kind === 'file' && access.canRead(module, f)).map((f) => f.name);
    Object.assign(paths, dataPaths(module, { allowed, admin, files }));
    Object.assign(schemas, moduleSchemas(module, view, { create: allowed.has('create'), update: allowed.has('update') }));
  }

  withUnknownParameterRefusal(paths);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Stratum',
      version: `generation ${graph.generation}`,
      description: DESCRIPTION,
    },
    security: [{ session: [] }, { bearer: [] }],
    tags: [
      ...readable.map((m) => ({
        name: m.name,
        description: typeof m.definition.description === 'string' ? `${m.title}: ${m.definition.description}` : m.title,
        ...(m.definition['x-i18n'] ? { 'x-i18n': m.definition['x-i18n'] } : {}),
        ...(m.builtin ? { 'x-builtin': true } : {}),
      })),
      { name: AUTH_TAG },
      { name: FILES_TAG },
      ...(admin ? [{ name: MODULES_TAG }] : []),
      { name: DOCS_TAG },
    ],
    paths,
    components: {
      schemas,
      parameters: sharedParameters,
      responses: errorResponses,
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by POST /api/auth/login.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/auth/tokens.' },
      },
    },
  };
}

/** Every route refuses a query parameter it does not know (core/api/known-parameters.ts): each operation may answer 400. */
function withUnknownParameterRefusal(paths: Record<string, JsonSchema>): void {
  for (const item of Object.values(paths)) {
    for (const [method, op] of Object.entries(item as Record<string, JsonSchema>)) {
      const responses = op.responses as Record<string, JsonSchema> | undefined;
      if (method === 'parameters' || !responses || responses['400']) continue;
      // In status order, as the other operations list theirs.
      op.responses = Object.fromEntries(Object.entries({ ...responses, ...errors(400) }).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
}
