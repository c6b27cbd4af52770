/**
 * Custom field types (`"x-type": "phone"` on a property), contributed by plugins. A type names a
 * plain JSON Schema it is stored and validated as (`{ "type": "string", "maxLength": 32 }`), an
 * extra check of each value, and a hint for forms. Everything that reads definitions sees the
 * property expanded into that plain schema, so storage, checks and generated types need no
 * special case; the extra check runs in the record validator.
 *
 * The registry is per process, filled from code (the plugins every process loads), never from the
 * database: two processes running the same code agree on it.
 */
import type { JsonSchema } from './module.js';

export interface FieldType {
  /** The plain property schema the type is stored as; a property may narrow it (`maxLength`). */
  readonly schema: JsonSchema;
  /** A message when the value is not valid (said after the field name: "must be a phone number"). */
  readonly validate?: (value: unknown) => string | undefined;
  /** For forms: which widget to show, a placeholder, … (served by GET /api/plugins). */
  readonly ui?: Readonly<Record<string, unknown>>;
}

export const FIELD_TYPE_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** The key an expanded property keeps its type name under. */
export const FIELD_TYPE_KEY = 'x-field-type';

const registered = new Map<string, FieldType & { readonly owner: string }>();

/**
 * Registers a type under `name` for `owner` (a plugin). Registering the same type again is a
 * no-op (several Stratum instances in one process); two owners of one name are refused.
 */
export function registerFieldType(name: string, type: FieldType, owner: string): void {
  if (!FIELD_TYPE_NAME.test(name) || name === 'json' || name === 'file') {
    throw new Error(`Field type "${name}" of ${owner}: a name is lowercase letters, digits and -, and not "json" or "file" (built in)`);
  }
  const before = registered.get(name);
  if (before && before.owner !== owner) throw new Error(`Field type "${name}" is registered by both ${before.owner} and ${owner}`);
  const type0 = type.schema.type;
  if (!['string', 'integer', 'number', 'boolean', 'object', 'array'].includes(String(type0)) || 'x-ref' in type.schema || 'x-type' in type.schema) {
    throw new Error(`Field type "${name}" of ${owner}: its schema needs a plain "type" (string, integer, number, boolean, object or array), without x-ref or x-type`);
  }
  registered.set(name, { ...type, owner });
}

export function fieldType(name: string): (FieldType & { readonly owner: string }) | undefined {
  return registered.get(name);
}

export function fieldTypeNames(): string[] {
  return [...registered.keys()].sort();
}

/**
 * A property with a registered `x-type`, as the plain schema it stands for: the type's schema,
 * then the property's own keywords (which may narrow it), and the type's name under
 * `x-field-type`. Any other property comes back as it is.
 */
export function expandProperty(prop: JsonSchema): JsonSchema {
  const name = prop['x-type'];
  if (typeof name !== 'string' || name === 'json' || name === 'file') return prop;
  const type = registered.get(name);
  // Unknown, or at odds with its own `type`: left as written, for the checks to refuse.
  if (!type || (prop.type !== undefined && prop.type !== type.schema.type)) return prop;
  const { 'x-type': _omitted, ...own } = prop;
  return { ...type.schema, ...own, [FIELD_TYPE_KEY]: name };
}

/** A definition whose custom-typed properties are expanded (see expandProperty); the same object when none is. */
export function expandDefinition<T>(def: T): T {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return def;
  const props = (def as JsonSchema).properties;
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return def;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) {
    const expanded = typeof v === 'object' && v !== null && !Array.isArray(v) ? expandProperty(v as JsonSchema) : v;
    if (expanded !== v) changed = true;
    out[k] = expanded;
  }
  return changed ? ({ ...def, properties: out } as T) : def;
}
