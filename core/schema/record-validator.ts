/**
 * Validates create and update payloads of one module before anything is written. The payload
 * schema is derived from the module graph (not the raw definition), so that what the validator
 * accepts is exactly what the table can store: system and read-only fields are refused, refs are
 * ids, decimals fit their precision. Errors come back as one ErrorDetail per faulty field, in
 * words a user of the form understands.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import type { ErrorDetail } from '../errors.js';
import type { DetailCode } from '../error-codes.js';
import { pointerSegment } from './finding.js';
import { fieldType } from './field-types.js';
import type { Field, JsonSchema, Module } from './module.js';
import { FILE_HANDLE_INPUT } from './file-handle.js';

export interface RecordValidator {
  create(payload: unknown): ErrorDetail[];
  update(payload: unknown): ErrorDetail[];
}

// Not strict: json fields carry whatever JSON Schema their author wrote, x- keywords included.
const ajv = new Ajv2020.default({ allErrors: true, strict: false });
addFormats.default(ajv);

const cache = new WeakMap<Module, RecordValidator>();

/** The validator of a module, compiled on first use and kept as long as the Module object lives. */
export function recordValidator(module: Module): RecordValidator {
  let v = cache.get(module);
  if (!v) {
    v = { create: compile(module, 'create'), update: compile(module, 'update') };
    cache.set(module, v);
  }
  return v;
}

export type Mode = 'create' | 'update';

/**
 * The JSON Schema a create or update payload of `module` must match, and the names it knows.
 * The OpenAPI document publishes this same schema, so that what it promises is what is checked.
 */
export function payloadSchema(module: Module, mode: Mode): { schema: JsonSchema; known: string[] } {
  const properties: Record<string, JsonSchema | boolean> = {};
  const required: string[] = [];
  const writable: string[] = [];
  const requiredNames = new Set(
    Array.isArray(module.definition.required) ? (module.definition.required as string[]) : [],
  );
  for (const f of module.fields.values()) {
    if (f.internal) continue; // not part of the API at all: an unknown field
    if (f.system || f.readOnly) {
      properties[f.name] = mode === 'update' && f.name === 'version' ? { type: 'integer', minimum: 1 } : false;
      continue;
    }
    writable.push(f.name);
    // A field with a default may be left out: the engine fills it in.
    const mustHave = f.required && f.default === undefined;
    if (mode === 'create' && mustHave) required.push(f.name);
    properties[f.name] = nullable(valueSchema(f), !f.required);
  }
  for (const r of module.relations.values()) {
    if (r.kind === 'one-to-many') {
      properties[r.name] = false;
      continue;
    }
    writable.push(r.name);
    if (mode === 'create' && requiredNames.has(r.name)) required.push(r.name);
    // The list bounds the definition gives (minItems, maxItems) hold for the ids too.
    const declared = (module.definition.properties as Record<string, JsonSchema> | undefined)?.[r.name] ?? {};
    const bounds = Object.fromEntries(['minItems', 'maxItems'].filter((k) => typeof declared[k] === 'number').map((k) => [k, declared[k]]));
    const ids = { type: 'array', items: { type: 'integer', minimum: 1 }, uniqueItems: true, ...bounds };
    properties[r.name] = nullable(ids, !requiredNames.has(r.name));
  }
  const schema = { type: 'object', properties, required, additionalProperties: false };
  return { schema, known: mode === 'update' ? [...writable, 'version'] : writable };
}

function compile(module: Module, mode: Mode): (payload: unknown) => ErrorDetail[] {
  const { schema, known } = payloadSchema(module, mode);
  const validate = ajv.compile(schema);
  // ajv keeps every compiled schema; a module redefined at runtime would otherwise never be freed.
  ajv.removeSchema(schema);

  return (payload) => {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return [{ path: '', message: 'must be a JSON object of field values', code: 'type' }];
    }
    if (validate(payload)) return extraDetails(module, payload as Record<string, unknown>);
    const details = new Map<string, ErrorDetail>();
    for (const e of validate.errors ?? []) {
      const detail = explain(e, payload as Record<string, unknown>, module, mode, known);
      if (!detail) continue;
      const field = detail.path.split('/')[1] ?? '';
      if (!details.has(field)) details.set(field, detail);
    }
    for (const d of extraDetails(module, payload as Record<string, unknown>)) {
      if (!details.has(d.path.slice(1))) details.set(d.path.slice(1), d);
    }
    return [...details.values()];
  };
}

/**
 * The checks JSON Schema cannot say, on the values the payload gives: plugin field types
 * (`"x-type": "phone"`), and date-times the engine could not store as the instant they name.
 */
function extraDetails(module: Module, payload: Record<string, unknown>): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const f of module.fields.values()) {
    const value = payload[f.name];
    if (value === null || value === undefined || !Object.hasOwn(payload, f.name)) continue;
    const unstorable = f.kind === 'datetime' && typeof value === 'string' && !storableDateTime(value);
    const message = unstorable ? FORMAT_WORDS['date-time'] : f.fieldType ? fieldType(f.fieldType)?.validate?.(value) : undefined;
    if (message) out.push({ path: `/${pointerSegment(f.name)}`, message, code: 'format' });
  }
  return out;
}

/**
 * RFC 3339 (ajv's `date-time`) allows what the engine's conversion to a stored value
 * (core/query/values.ts) does not read: a leap second (no Date holds 23:59:60), a lower-case
 * `t`/`z`, a zone of hours only, more than microseconds. Such a value would reach the column
 * as raw text: kept verbatim on SQLite, a server error on MariaDB. Refused here, it is a 400 on
 * the field like any other malformed date-time.
 */
const STORABLE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})$/;
const storableDateTime = (value: string) => STORABLE_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));

/** The JSON Schema of one stored field's value. */
function valueSchema(f: Field): JsonSchema {
  const s = f.schema;
  const keep = (...keys: string[]) => Object.fromEntries(keys.filter((k) => k in s).map((k) => [k, s[k]]));
  switch (f.kind) {
    case 'string':
    case 'text':
    case 'password':
      return {
        type: 'string',
        ...keep('maxLength', 'minLength', 'pattern'),
        ...(isCheckedFormat(s.format) ? { format: s.format } : {}),
      };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'enum':
      return { type: 'string', enum: [...(f.enum ?? [])] };
    case 'integer':
      // INTEGER columns are 32-bit on MySQL/MariaDB (an insert beyond fails there, SQLite would store it).
      return {
        type: 'integer',
        minimum: Math.max(INT_MIN, typeof s.minimum === 'number' ? s.minimum : INT_MIN),
        maximum: Math.min(INT_MAX, typeof s.maximum === 'number' ? s.maximum : INT_MAX),
      };
    case 'number': {
      // DECIMAL(p, s) holds fewer than 10^(p-s) in magnitude; beyond it the database refuses the row.
      const bound = 10 ** ((f.precision ?? 18) - (f.scale ?? 4));
      return { type: 'number', ...keep('minimum', 'maximum'), exclusiveMaximum: bound, exclusiveMinimum: -bound };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'ref':
      return { type: 'integer', minimum: 1 };
    case 'json':
      return Object.fromEntries(Object.entries(s).filter(([k]) => !k.startsWith('x-') && k !== 'default'));
    case 'file':
      return FILE_HANDLE_INPUT;
  }
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

const isCheckedFormat = (format: unknown) => format === 'email' || format === 'uri';

/** Lets a value be null, for fields that are not required. */
function nullable(schema: JsonSchema, yes: boolean): JsonSchema {
  if (!yes) return schema;
  const out: JsonSchema = { ...schema };
  if (typeof schema.type === 'string') out.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) out.type = [...schema.type, 'null'];
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
}

function explain(
  e: ErrorObject,
  payload: Record<string, unknown>,
  module: Module,
  mode: Mode,
  known: readonly string[],
): ErrorDetail | undefined {
  const p = e.params as Record<string, unknown>;
  // Anything wrong inside a file handle is one fault of the field (not of `/doc/id`).
  const head = unescape(e.instancePath.split('/')[1] ?? '');
  if (e.instancePath !== '' && module.fields.get(head)?.kind === 'file' && payload[head] !== null) {
    return { path: `/${pointerSegment(head)}`, message: 'must be a file as POST /api/files answers it: { "id": "<32 hexadecimal digits>" }', code: 'file' };
  }
  switch (e.keyword) {
    case 'required':
      // Inside a JSON field the pointer keeps the field's own path: `/address/city`.
      return { path: `${e.instancePath}/${pointerSegment(String(p.missingProperty))}`, message: 'is required', code: 'required' };
    case 'additionalProperties':
      return {
        path: `/${pointerSegment(String(p.additionalProperty))}`,
        message: `unknown field; known fields are ${known.join(', ')}`,
        code: 'unknown_field',
      };
    case 'false schema': {
      const name = unescape(e.instancePath.slice(1));
      return {
        path: e.instancePath,
        message:
          name === 'version' && mode === 'create' ? 'is read-only (send version only when updating)' : 'is read-only',
        code: 'read_only',
      };
    }
  }
  const segments = e.instancePath.split('/');
  const name = unescape(segments[1] ?? '');
  const field = module.fields.get(name);
  const relation = module.relations.get(name);
  if (segments.length === 2 && payload[name] === null && !field?.system) {
    // Clearing a required field in a form sends null: say what the user needs to do.
    return { path: e.instancePath, message: 'is required', code: 'required' };
  }
  if (field?.kind === 'enum' && segments.length === 2) {
    return { path: e.instancePath, message: `must be one of: ${(field.enum ?? []).join(', ')}`, code: 'enum' };
  }
  if (field?.kind === 'ref' || (relation && e.instancePath.split('/').length > 2)) {
    const target = field?.ref ?? relation?.target;
    return {
      path: e.instancePath,
      message: `must be the id of a ${target} record (an integer of at least 1)`,
      code: 'ref',
    };
  }
  return { path: e.instancePath, ...describe(e, field) };
}

/** What a user reads about a wrong value, and a stable code for the UI to match on. */
function describe(e: ErrorObject, field: Field | undefined): { message: string; code: DetailCode } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return { message: `must be ${TYPE_WORDS[String(p.type).split(',')[0]!] ?? String(p.type)}`, code: 'type' };
    case 'enum': {
      const allowed = field?.enum ?? (p.allowedValues as unknown[]).filter((v) => v !== null);
      return { message: `must be one of: ${allowed.map(String).join(', ')}`, code: 'enum' };
    }
    case 'maxLength':
      return { message: `must be at most ${String(p.limit)} characters`, code: 'too_long' };
    case 'minLength':
      return {
        message: Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters`,
        code: 'too_short',
      };
    case 'pattern':
      return { message: `must match the pattern ${String(p.pattern)}`, code: 'pattern' };
    case 'format':
      return { message: FORMAT_WORDS[String(p.format)] ?? `must be a valid ${String(p.format)}`, code: 'format' };
    case 'minimum':
      return { message: `must be at least ${String(p.limit)}`, code: 'below_minimum' };
    case 'maximum':
      return { message: `must be at most ${String(p.limit)}`, code: 'above_maximum' };
    case 'exclusiveMinimum':
      return { message: `must be greater than ${String(p.limit)}`, code: 'below_minimum' };
    case 'exclusiveMaximum':
      return { message: `must be less than ${String(p.limit)}`, code: 'above_maximum' };
    case 'uniqueItems':
      return {
        message: `must not repeat a value (items ${String(p.j)} and ${String(p.i)} are equal)`,
        code: 'duplicate',
      };
    case 'minItems':
      return { message: `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, code: 'too_few_items' };
    case 'maxItems':
      return { message: `must have at most ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, code: 'too_many_items' };
    default:
      // Keywords the messages above do not word yet: ajv's own message, under the one code for them.
      return { message: e.message ?? 'is invalid', code: 'invalid' };
  }
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = {
  date: 'must be a date like 2024-05-31',
  'date-time': 'must be a date and time with a time zone, like 2024-05-31T14:30:00Z',
  email: 'must be an email address',
  uri: 'must be an absolute URI, like https://example.com',
};

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
