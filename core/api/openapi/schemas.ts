/**
 * A module's schemas as one caller sees them: the record a read returns, and the create and
 * patch bodies a write accepts. Inputs are the very schemas core/schema/record-validator.ts
 * checks payloads with; records follow core/data/decode.ts (what the API writes out).
 */
import type { Access } from '../../rules/access.js';
import { payloadSchema, type Mode } from '../../schema/record-validator.js';
import type { Field, JsonSchema, Module } from '../../schema/module.js';
import { names, ref } from './refs.js';
import { FILE_HANDLE_OUTPUT } from '../../schema/file-handle.js';

/** What the caller may see of the graph, decided once per document. */
export interface View {
  readonly access: Access;
  /** Whether the caller may read a module (only those get schemas). */
  readable(module: string): boolean;
}

/** Annotations of a property or module definition worth repeating in the document. */
function annotations(schema: JsonSchema): JsonSchema {
  // x-field-type: a plugin's field type (core/schema/field-types.ts), for forms that know it.
  const keys = ['title', 'description', 'examples', 'deprecated', 'x-i18n', 'x-field-type'];
  return Object.fromEntries(keys.filter((k) => schema[k] !== undefined).map((k) => [k, schema[k]]));
}

const definitionOf = (module: Module, name: string): JsonSchema =>
  ((module.definition.properties as Record<string, JsonSchema> | undefined) ?? {})[name] ?? {};

const SYSTEM: Record<string, JsonSchema> = {
  id: { type: 'integer', minimum: 1, readOnly: true },
  createdAt: { type: 'string', format: 'date-time', readOnly: true, description: 'UTC, with milliseconds' },
  updatedAt: { type: 'string', format: 'date-time', readOnly: true, description: 'UTC, with milliseconds' },
  createdBy: { type: ['integer', 'null'], readOnly: true, description: 'id of the user who created it (not a reference: carries no visibility)' },
  updatedBy: { type: ['integer', 'null'], readOnly: true, description: 'id of the user who changed it last' },
  version: { type: 'integer', minimum: 1, readOnly: true, description: '1 on create, +1 on every update; send it back (If-Match or `version`) to refuse lost updates' },
  // x-soft-delete: null on every live record; set on those listed with `deleted=only`.
  deletedAt: { type: ['string', 'null'], format: 'date-time', readOnly: true, description: 'when it was deleted (x-soft-delete); null while live' },
  deletedBy: { type: ['integer', 'null'], readOnly: true, description: 'id of the user who deleted it (x-soft-delete)' },
};

/**
 * The record as `GET /api/data/<m>/<id>` returns it: system fields, every field the caller may
 * read (write-only ones never), many-to-many relations as sorted id lists. With `fields=` a
 * record carries `id` and the fields asked for, and a reference path embeds the referenced
 * record, so only `id` is required.
 */
export function recordSchema(module: Module, view: View): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const field of module.fields.values()) {
    if (!view.access.canRead(module, field)) continue;
    properties[field.name] = field.system ? SYSTEM[field.name]! : { ...storedValue(field, view), ...annotations(field.schema), ...(field.readOnly ? { readOnly: true } : {}) };
  }
  for (const relation of module.relations.values()) {
    if (relation.kind !== 'many-to-many' || !(view.access.canReadRelation?.(module, relation) ?? true)) continue;
    properties[relation.name] = {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      uniqueItems: true,
      'x-ref': relation.target,
      ...annotations(definitionOf(module, relation.name)),
      description: `ids of ${relation.target} records, ascending; only those you may read`,
    };
  }
  return {
    ...annotations(module.definition),
    title: module.title,
    type: 'object',
    properties,
    required: ['id'],
    additionalProperties: false,
  };
}

/** One stored value as decode.ts returns it; null where the definition does not require it. */
function storedValue(field: Field, view: View): JsonSchema {
  const s = field.schema;
  let value: JsonSchema;
  switch (field.kind) {
    case 'string':
      value = { type: 'string', ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}) };
      break;
    case 'text':
    case 'password':
      value = { type: 'string' };
      break;
    case 'enum':
      value = { type: 'string', enum: [...(field.enum ?? [])] };
      break;
    case 'integer':
      value = { type: 'integer' };
      break;
    case 'number':
      value = { type: 'number' };
      break;
    case 'boolean':
      value = { type: 'boolean' };
      break;
    case 'date':
      value = { type: 'string', format: 'date' };
      break;
    case 'datetime':
      value = { type: 'string', format: 'date-time', description: 'UTC, with milliseconds' };
      break;
    case 'json':
      value = Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('x-') && k !== 'default'));
      break;
    case 'file':
      value = FILE_HANDLE_OUTPUT;
      break;
    case 'ref': {
      const target = field.ref!;
      // `fields=customer.name` embeds the referenced record ({id, name}); null when you may not see it.
      value = view.readable(target)
        ? { anyOf: [{ type: 'integer', minimum: 1 }, ref(names.record(target))], 'x-ref': target, description: `id of a ${target} record, or with fields=${field.name}.<field> that record` }
        : { type: 'integer', minimum: 1, 'x-ref': target, description: `id of a ${target} record` };
      break;
    }
  }
  return field.required ? value : orNull(value);
}

/** A schema that also allows null. */
export function orNull(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string') {
    return { ...schema, type: [schema.type, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) };
  }
  if (Array.isArray(schema.type)) return schema.type.includes('null') ? schema : { ...schema, type: [...schema.type, 'null'] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  // No type (a JSON field of any value): null is already allowed.
  return schema;
}

/**
 * The body of `POST` (`create`) or `PATCH` (`update`): the payload schema the engine validates
 * with, less what it refuses anyway (system and read-only fields, one-to-many relations) and
 * what this caller may not write, plus the definition's titles and defaults.
 */
export function inputSchema(module: Module, mode: Mode, view: View): JsonSchema {
  const { schema } = payloadSchema(module, mode);
  const properties: Record<string, JsonSchema> = {};
  for (const [name, value] of Object.entries(schema.properties as Record<string, JsonSchema | boolean>)) {
    if (value === false) continue;
    const field = module.fields.get(name);
    const relation = module.relations.get(name);
    if (field && !field.system && !view.access.canWrite(module, field)) continue;
    if (relation && !(view.access.canWriteRelation?.(module, relation) ?? true)) continue;
    properties[name] = name === 'version' && field?.system
      ? { ...(value as JsonSchema), description: 'the version you read; the update is refused with 409 `stale` if the record changed since (or send If-Match)' }
      : {
          ...(value as JsonSchema),
          ...annotations(field?.schema ?? definitionOf(module, name)),
          ...(field?.writeOnly ? { writeOnly: true } : {}),
          // An annotation for forms (Swagger UI masks it); the engine checks length only.
          ...(field?.kind === 'password' ? { format: 'password' } : {}),
          ...(mode === 'create' && field?.default !== undefined ? { default: field.default } : {}),
          ...(relation ? { 'x-ref': relation.target } : field?.ref ? { 'x-ref': field.ref } : {}),
        };
  }
  const required = (schema.required as string[]).filter((name) => name in properties);
  return {
    title: `${module.title}: ${mode === 'create' ? 'new record' : 'changes'}`,
    description: mode === 'create'
      ? 'A new record. Fields with a default may be left out; system fields are set by the engine.'
      : 'Only the fields to change. A field set to null is cleared.',
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

/** The schemas of one readable module, keyed by component name; inputs only for the writes granted. */
export function moduleSchemas(module: Module, view: View, writes: { create: boolean; update: boolean }): Record<string, JsonSchema> {
  return {
    [names.record(module.name)]: recordSchema(module, view),
    ...(writes.create ? { [names.create(module.name)]: inputSchema(module, 'create', view) } : {}),
    ...(writes.update ? { [names.patch(module.name)]: inputSchema(module, 'update', view) } : {}),
    [names.list(module.name)]: {
      type: 'object',
      required: ['data', 'meta'],
      properties: { data: { type: 'array', items: ref(names.record(module.name)) }, meta: ref('ListMeta') },
      additionalProperties: false,
    },
  };
}
