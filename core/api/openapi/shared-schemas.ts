/**
 * Schemas that are the same for every module: list metadata, aggregate rows, bulk results, the
 * signed-in user, API tokens, module definitions and explain answers.
 */
import { metaSchema } from '../../schema/meta-schema.js';
import { fieldTypeNames } from '../../schema/field-types.js';
import type { JsonSchema } from '../../schema/module.js';
import { ref } from './refs.js';

const isoOrNull: JsonSchema = { type: ['string', 'null'], format: 'date-time' };

/**
 * The module meta-schema (core/schema/meta-schema.ts) as two components. Its `$id` would move
 * the base URI of its `#/$defs/…` references away from this document, so it is left out and
 * the references point at `ModuleProperty` instead. Properties named `$id`, `$schema` and
 * `$comment` become the equivalent patternProperties: tools that walk a document for `$id`
 * keys (the OpenAPI validator among them) would take them for base URIs.
 */
function definitionSchemas(): Record<string, JsonSchema> {
  const { $id: _id, $schema: _schema, $defs, ...definition } = metaSchema;
  const rewrite = (s: unknown) => dollarPropertiesAsPatterns(JSON.parse(JSON.stringify(s).replaceAll('"#/$defs/property"', '"#/components/schemas/ModuleProperty"'))) as JsonSchema;
  return {
    ModuleDefinition: { ...rewrite(definition), description: 'A module: one JSON Schema (draft 2020-12) object schema. See docs/DEFINITIONS.md.' },
    ModuleProperty: withPluginFieldTypes(rewrite($defs.property)),
  };
}

/**
 * The meta-schema knows the built-in `x-type`s (json, file) only: check-definitions expands a
 * plugin's field type (`"x-type": "phone"`, core/schema/field-types.ts) before it checks the
 * shape. A stored definition keeps the property as written, so that is what GET /api/modules
 * answers: a property naming a registered type, with the keywords that narrow it.
 */
function withPluginFieldTypes(property: JsonSchema): JsonSchema {
  const names = fieldTypeNames();
  const typed = property.then as JsonSchema | undefined;
  if (names.length === 0 || !typed || typeof typed.else !== 'object') return property;
  const builtin = typed.else as JsonSchema;
  const plugin: JsonSchema = {
    description: 'A field type of a plugin (GET /api/plugins lists them with their schemas), narrowed by the property\'s own keywords',
    properties: { 'x-type': { enum: names }, type: { enum: ['string', 'integer', 'number', 'boolean', 'object', 'array'] } },
  };
  return { ...property, then: { ...typed, else: { if: { properties: { 'x-type': { enum: names } } }, then: plugin, else: builtin } } };
}

function dollarPropertiesAsPatterns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dollarPropertiesAsPatterns);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dollarPropertiesAsPatterns(v)]));
  const properties = out.properties as Record<string, unknown> | undefined;
  const dollar = Object.keys(properties ?? {}).filter((k) => k.startsWith('$'));
  if (properties && dollar.length > 0) {
    out.properties = Object.fromEntries(Object.entries(properties).filter(([k]) => !k.startsWith('$')));
    out.patternProperties = {
      ...Object.fromEntries(dollar.map((k) => [`^\\${k}$`, properties[k]])),
      ...(out.patternProperties as Record<string, unknown> | undefined),
    };
  }
  return out;
}

/** The components every document has, whatever the caller may read. */
export function sharedSchemas(): Record<string, JsonSchema> {
  return {
    ListMeta: {
      type: 'object',
      required: ['total', 'page', 'pageSize'],
      properties: {
        total: { type: ['integer', 'null'], minimum: 0, description: 'null with total=none' },
        page: { type: 'integer', minimum: 1 },
        pageSize: { type: 'integer', minimum: 1 },
        totalCapped: { type: 'boolean', description: 'with total=capped: the true total is larger' },
        totalEstimated: { type: 'boolean', description: 'with total=estimated: total is the database\'s estimate' },
        next: { type: ['string', 'null'], description: 'with after=: the cursor of the next page, null at the end' },
      },
      additionalProperties: false,
    },
    AggregateResult: {
      type: 'object',
      required: ['data'],
      properties: {
        data: {
          type: 'array',
          description: 'One object per group, keyed by the groupBy and metrics expressions as written: `{"status": "paid", "sum(amount)": 1200}`.',
          items: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } },
        },
      },
      additionalProperties: false,
    },
    HistoryPage: {
      type: 'object',
      required: ['data', 'meta'],
      description: 'A record\'s history, newest first (docs/HISTORY.md).',
      properties: {
        data: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'version', 'action', 'at', 'user', 'changes'],
            properties: {
              id: { type: 'integer' },
              version: { type: 'integer', description: 'the record\'s version after the change' },
              action: { type: 'string', enum: ['create', 'update', 'delete', 'restore', 'revert'] },
              at: { type: 'string', format: 'date-time' },
              user: { type: 'object', properties: { id: { type: ['integer', 'null'] }, username: { type: ['string', 'null'] } } },
              changes: {
                type: 'object',
                description: 'Per field `{"before": …, "after": …}`, only fields you may read; a write-only field as `{"changed": true}`.',
                additionalProperties: { type: 'object' },
              },
              revertedTo: { type: 'integer', description: 'with action=revert: the version whose values were applied' },
            },
          },
        },
        meta: { type: 'object', required: ['total', 'page', 'pageSize'], properties: { total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } },
      },
    },
    RecordCan: {
      type: 'object',
      required: ['update', 'delete', 'actions'],
      properties: {
        update: { type: 'boolean' },
        delete: { type: 'boolean' },
        actions: { type: 'object', description: '`<plugin>.<action>` → whether it is offered', additionalProperties: { type: 'boolean' } },
      },
      additionalProperties: false,
    },
    BulkResult: {
      type: 'object',
      required: ['action', 'count'],
      properties: { action: { type: 'string', enum: ['delete', 'update'] }, count: { type: 'integer', minimum: 1 } },
      additionalProperties: false,
    },
    User: {
      description: 'The signed-in user.',
      type: 'object',
      required: ['id', 'username', 'name', 'isAdmin'],
      properties: {
        id: { type: 'integer' },
        username: { type: 'string' },
        name: { type: ['string', 'null'] },
        isAdmin: { type: 'boolean' },
        roles: { type: 'array', items: { type: 'string' }, description: 'role names' },
      },
    },
    Token: {
      type: 'object',
      required: ['id', 'name', 'createdAt', 'expiresAt'],
      properties: { id: { type: 'integer' }, name: { type: 'string' }, createdAt: isoOrNull, expiresAt: isoOrNull },
    },
    ModuleEntry: {
      type: 'object',
      required: ['name', 'source', 'definition'],
      properties: {
        name: { type: 'string' },
        source: { type: 'string', description: '`builtin` (the engine), `file` (metadata/) or `api`; only `api` modules can be changed through the API' },
        definition: ref('ModuleDefinition'),
      },
    },
    ...definitionSchemas(),
    Explain: {
      description: 'For each action: whether the user may act at all, the SQL condition their records get, and the rules and department restriction of each base module it comes from.',
      type: 'object',
      required: ['module', 'user', 'actions'],
      properties: {
        module: { type: 'string' },
        user: { type: 'object', properties: { id: { type: 'integer' }, username: { type: 'string' } } },
        actions: { type: 'object', additionalProperties: { type: 'object', properties: { allowed: { type: 'boolean' }, sql: { type: 'string' }, params: { type: 'array' }, bases: { type: 'array' } } } },
      },
    },
    ExplainRecord: {
      description: 'Whether the user sees one record, and which base, rule and department condition passes or fails.',
      type: 'object',
      required: ['module', 'id', 'user', 'visible', 'bases'],
      properties: {
        module: { type: 'string' },
        id: { type: 'integer' },
        user: { type: 'object', properties: { id: { type: 'integer' }, username: { type: 'string' } } },
        visible: { type: 'boolean' },
        recordDepartment: { type: ['string', 'null'] },
        bases: { type: 'array', items: { type: 'object', properties: { base: { type: 'string' }, path: { type: 'string' }, passes: { type: 'boolean' } } } },
      },
    },
  };
}
