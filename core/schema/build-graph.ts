import type { Field, FieldKind, JsonSchema, ListSettings, Module, ModuleGraph, OnDelete, Relation } from './module.js';
import { SCOPE_COLUMN } from './module.js';
import { scopePath } from './scope-paths.js';
import { expandProperty, FIELD_TYPE_KEY } from './field-types.js';

/**
 * Turns checked definitions into the module graph. It trusts its input: call it only with
 * definitions for which checkDefinitions returned no findings.
 */
export function buildGraph(definitions: readonly JsonSchema[], generation = 0, builtin: ReadonlySet<string> = new Set()): ModuleGraph {
  const modules = new Map<string, Module>();
  for (const def of definitions) {
    const m = buildModule(def, builtin.has(String(def.$id)));
    modules.set(m.name, m);
  }
  const graph = { modules, generation };
  // Second pass, once every module is known: which ones carry a maintained department column.
  for (const [name, m] of modules) modules.set(name, withScopeColumn(m, graph));
  return graph;
}

/**
 * A module that reaches `department` along an unambiguous scope path gets the `_scope` column
 * (see Module.scopeColumn) and indexes that serve the department range together with its
 * default sort: `(_scope, sort)` for one department, `(sort, id, _scope)` for walking the sort
 * order while checking the department in the index.
 */
function withScopeColumn(m: Module, graph: ModuleGraph): Module {
  if (m.name === 'department' || !graph.modules.has('department')) return m;
  const path = scopePath(graph, m, 'department');
  if (!path?.ok || path.refs.length === 0) return m;
  const field: Field = {
    ...sys(SCOPE_COLUMN, 'string'), internal: true, maxLength: 64, unique: false, schema: { type: 'string', maxLength: 64 },
  };
  const sortName = m.list.sort.split(',')[0]!.replace(/^-/, '');
  const sort = m.fields.get(sortName);
  const sortable = sort && fitsIndexKey(sort) && !sort.system && sort.kind !== 'text' && sort.kind !== 'json' && sort.kind !== 'file' && !sortName.includes('.');
  // `(sort, id, _scope)`, not `(sort, _scope)`: InnoDB appends the id to every secondary index, so
  // only this order serves `ORDER BY sort, id` while checking the department inside the index.
  const indexes = sortable ? [[SCOPE_COLUMN, sortName], [sortName, 'id', SCOPE_COLUMN]] : [[SCOPE_COLUMN]];
  // Every declared composite index gets a department-led twin: a restricted reader's reports
  // (`sum(amount)` by `year(orderDate)` with `"x-index": [["orderDate", "amount"]]`) then read one
  // department range of a covering index instead of the table.
  const twins = m.indexes.filter((set) => set.length > 1 && set.every((c) => fitsIndexKey(m.fields.get(c)))).map((set) => [SCOPE_COLUMN, ...set]);
  return {
    ...m,
    fields: new Map([...m.fields, [SCOPE_COLUMN, field]]),
    indexes: [...m.indexes, ...indexes, ...twins],
    scopeColumn: { column: SCOPE_COLUMN, path: path.refs },
  };
}

/** A long VARCHAR would not fit MySQL's 3072-byte index key (utf8mb4: 4 bytes a character). */
function fitsIndexKey(field: Field | undefined): boolean {
  return field !== undefined && (field.kind !== 'string' || (field.maxLength ?? 0) <= 500);
}

const systemFields: readonly Field[] = [
  sys('id', 'integer'),
  sys('createdAt', 'datetime'),
  sys('updatedAt', 'datetime'),
  { ...sys('createdBy', 'integer'), index: true },
  sys('updatedBy', 'integer'),
  sys('version', 'integer'),
];

const softDeleteFields: readonly Field[] = [sys('deletedAt', 'datetime'), sys('deletedBy', 'integer')];

function sys(name: string, kind: FieldKind): Field {
  return {
    name, column: name, kind, schema: { type: kind === 'datetime' ? 'string' : 'integer' },
    required: false, system: true, readOnly: true, writeOnly: false, unique: name === 'id', index: false,
  };
}

export function buildModule(def: JsonSchema, builtin = false): Module {
  const name = String(def.$id);
  const props = (def.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((def.required as string[] | undefined) ?? []);
  const fields = new Map<string, Field>(systemFields.map((f) => [f.name, f]));
  const relations = new Map<string, Relation>();
  const uniques: string[][] = [];
  const indexes: string[][] = [];

  for (const [prop, written] of Object.entries(props)) {
    // A plugin's field type (`"x-type": "phone"`) stands for the plain schema it is stored as.
    const schema = expandProperty(written);
    const relation = relationOf(name, prop, schema);
    if (relation) {
      relations.set(prop, relation);
      continue;
    }
    const kind = fieldKind(schema);
    const field: Field = {
      name: prop,
      column: prop,
      kind,
      schema,
      required: required.has(prop),
      system: false,
      readOnly: schema.readOnly === true,
      writeOnly: schema.writeOnly === true || kind === 'password',
      unique: schema['x-unique'] === true,
      index: schema['x-index'] === true || kind === 'ref',
      ...(typeof schema.maxLength === 'number' ? { maxLength: schema.maxLength } : {}),
      ...(kind === 'number'
        ? { precision: num(schema['x-precision'], 18), scale: num(schema['x-scale'], 4) }
        : {}),
      ...(kind === 'enum' ? { enum: schema.enum as string[] } : {}),
      ...(typeof schema[FIELD_TYPE_KEY] === 'string' ? { fieldType: schema[FIELD_TYPE_KEY] } : {}),
      ...('default' in schema ? { default: schema.default } : {}),
      ...(kind === 'ref'
        ? {
            ref: String(schema['x-ref']),
            onDelete: ((schema['x-on-delete'] as OnDelete | undefined) ?? 'restrict'),
            scope: schema['x-scope'] !== false,
          }
        : {}),
    };
    fields.set(prop, field);
    if (field.unique) uniques.push([prop]);
  }
  const softDelete = def['x-soft-delete'] === true;
  // After the properties: PUT adds the columns at the end of an existing table too.
  if (softDelete) for (const f of softDeleteFields) fields.set(f.name, f);
  for (const set of (def['x-unique'] as string[][] | undefined) ?? []) uniques.push([...set]);
  for (const set of (def['x-index'] as string[][] | undefined) ?? []) indexes.push([...set]);

  return {
    name,
    table: name,
    title: typeof def.title === 'string' ? def.title : name,
    definition: def,
    fields,
    relations,
    uniques,
    indexes,
    list: listSettings(def, fields),
    scopePaths: (def['x-scope-paths'] as Record<string, string> | undefined) ?? {},
    builtin,
    ...(softDelete ? { softDelete } : {}),
  };
}

/** The dialect-independent kind of a stored property; see the definition format in API.md. */
export function fieldKind(schema: JsonSchema): FieldKind {
  if (schema['x-type'] === 'json') return 'json';
  if (schema['x-type'] === 'file') return 'file';
  switch (schema.type) {
    case 'string':
      if (schema.format === 'password') return 'password';
      if (schema.format === 'date') return 'date';
      if (schema.format === 'date-time') return 'datetime';
      if (Array.isArray(schema.enum)) return 'enum';
      return typeof schema.maxLength === 'number' ? 'string' : 'text';
    case 'integer':
      return typeof schema['x-ref'] === 'string' ? 'ref' : 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'json';
  }
}

function relationOf(module: string, prop: string, schema: JsonSchema): Relation | undefined {
  if (schema.type !== 'array') return undefined;
  if (typeof schema['x-inverse'] === 'string') {
    const [target, via] = schema['x-inverse'].split('.') as [string, string];
    return { name: prop, kind: 'one-to-many', target, via };
  }
  if (typeof schema['x-ref'] === 'string') {
    const target = schema['x-ref'];
    return {
      name: prop,
      kind: 'many-to-many',
      target,
      junction: { table: junctionTable(module, prop), source: 'source', target: 'target' },
    };
  }
  return undefined;
}

export const junctionTable = (module: string, prop: string) => `${module}_${prop}`;

function listSettings(def: JsonSchema, fields: ReadonlyMap<string, Field>): ListSettings {
  const list = (def['x-list'] ?? {}) as Partial<Record<keyof ListSettings, unknown>>;
  const visible = [...fields.values()].filter((f) => !f.system && !f.writeOnly).map((f) => f.name);
  const textual = [...fields.values()].filter((f) => f.kind === 'string' || f.kind === 'text').map((f) => f.name);
  return {
    columns: (list.columns as string[] | undefined) ?? visible.slice(0, 8),
    search: (list.search as string[] | undefined) ?? textual.slice(0, 3),
    filters: (list.filters as string[] | undefined) ?? [],
    sort: (list.sort as string | undefined) ?? '-id',
  };
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
