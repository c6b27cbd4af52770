/**
 * What the admin UI needs to build menus, lists and forms for one caller: the modules they may
 * read, the actions they are granted, and each field as far as they may read or write it. Pure,
 * from the module graph and the caller's Access, like the OpenAPI document; `GET /api/modules`
 * stays admin-only because it shows definitions whole.
 */
import { grantedActions, type Access, type Action } from '../rules/access.js';
import type { Field, FieldKind, Module, ModuleGraph, Relation } from '../schema/module.js';
import { scopePath } from '../schema/scope-paths.js';
import { isOwnRecords } from '../rules/own-records.js';
import { MAX_FILE_BYTES } from '../files/limits.js';

export interface FieldMeta {
  name: string;
  kind: FieldKind;
  title: string;
  description?: string;
  /** Labels per language tag (`{"zh": "姓名"}`), from the property's and the module's `x-i18n`. */
  i18n: Record<string, string>;
  required: boolean;
  system: boolean;
  /** May be sent in a create or an update (the caller's writeFields; never for system or readOnly fields). */
  writable: boolean;
  /** May be used in filters, search and sort (a permission's filterFields). */
  filterable: boolean;
  /** Long text, JSON and passwords cannot be sorted. */
  sortable: boolean;
  unique: boolean;
  /** Write-only (a password): never read back, so a form leaves it empty. */
  writeOnly: boolean;
  enum?: readonly string[];
  /**
   * What the enum values (or `items`) are called on screen, per language tag, with the default
   * language under `""`: `{"": {"walk_in": "Walk-in"}, "zh": {"walk_in": "上门"}}`. A value
   * without a title is shown as it is stored.
   */
  enumTitles?: Record<string, Record<string, string>>;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  scale?: number;
  default?: unknown;
  /** A reference: the target module. */
  ref?: string;
  /** The text names a module (`"x-names": "module"`, as permission.module): a form offers the modules. */
  namesModule?: boolean;
  /** A plugin's field type (`"x-type": "phone"`): a form edits it with the plugin's widget, when it has one. */
  fieldType?: string;
  /** A JSON array of enum values (`permission.actions`): its allowed items. */
  items?: readonly string[];
  /** A JSON array of strings (`permission.readFields`): edited as a comma list. */
  stringList?: boolean;
  /** A file: the largest upload `POST /api/files` accepts, for a form to check before sending. */
  maxBytes?: number;
}

export interface RelationMeta {
  name: string;
  kind: Relation['kind'];
  target: string;
  /** one-to-many: the target's reference back to this module. */
  via?: string;
  title: string;
  i18n: Record<string, string>;
  writable: boolean;
  /** May be used in filters (`some`/`none`/`every`), within a permission's filterFields. */
  filterable: boolean;
}

export interface ModuleMeta {
  name: string;
  title: string;
  description?: string;
  /** Module labels per language tag: `{"zh": "客户"}`. */
  i18n: Record<string, string>;
  builtin: boolean;
  actions: Action[];
  fields: FieldMeta[];
  relations: RelationMeta[];
  list: { columns: string[]; search: string[]; filters: string[]; sort: string };
  /** The field that names a record in links, breadcrumbs and pickers (`name`, `number`…), or `id`. */
  label: string;
  /** `x-owner`: the reference to the user who owns a record; a new record's form starts with the caller there. */
  owner?: string;
  softDelete: boolean;
  /**
   * The reference path along which department visibility reaches the module
   * (`consultant.department`), when the caller may read and group by every step of it: the list
   * then shows record counts per department (`aggregate?groupBy=<path>.code`).
   */
  departmentPath?: string;
}

const UNSORTABLE: ReadonlySet<FieldKind> = new Set(['text', 'json', 'file', 'password']);
// Not an enum: a status names no record (an enrollment titled "submitted"); without text, `#id` does.
const NAMING: ReadonlySet<FieldKind> = new Set(['string']);
/** Fields that name a record better than whatever column comes first (a user's name, not their login). */
const NAME_FIELDS = ['name', 'title'];

/**
 * The modules `access.actor` may read at `graph.generation`, by name. Personal modules (saved
 * views) are left out: everyone may use them, and they are no menu entry but part of each list.
 */
export function metaModules(graph: ModuleGraph, access: Access): ModuleMeta[] {
  const granted = new Map([...graph.modules.values()].map((m) => [m.name, grantedActions(access, m)]));
  const readable = (name: string) => granted.get(name)?.includes('read') ?? false;
  return [...graph.modules.values()]
    .filter((m) => readable(m.name) && !isOwnRecords(m))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => moduleMeta(m, access, granted.get(m.name)!, readable, graph));
}

/** Whether every step of `customer.region.name` is a field the caller may read: the API refuses `fields` otherwise. */
function pathReadable(graph: ModuleGraph, access: Access, from: Module, path: string, readable: (name: string) => boolean): boolean {
  let module: Module | undefined = from;
  for (const step of path.split('.')) {
    const field: Field | undefined = module?.fields.get(step);
    if (!module || !field || !readable(module.name) || !access.canRead(module, field)) return false;
    module = field.ref ? graph.modules.get(field.ref) : undefined;
  }
  return true;
}

function moduleMeta(m: Module, access: Access, actions: Action[], readable: (name: string) => boolean, graph: ModuleGraph): ModuleMeta {
  const writes = actions.includes('create') || actions.includes('update');
  const filterable = access.filterable?.(m);
  const translations = (m.definition['x-i18n'] ?? {}) as Record<string, { title?: string; properties?: Record<string, string>; enums?: Record<string, Record<string, string>> }>;
  const enumTitlesOf = (name: string, own: unknown): { enumTitles?: FieldMeta['enumTitles'] } => {
    const out: Record<string, Record<string, string>> = {};
    if (own && typeof own === 'object') out[''] = own as Record<string, string>;
    for (const [lang, t] of Object.entries(translations)) if (t?.enums?.[name]) out[lang] = t.enums[name]!;
    return Object.keys(out).length > 0 ? { enumTitles: out } : {};
  };
  const labelsOf = (name: string, own: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [lang, t] of Object.entries(translations)) if (typeof t?.properties?.[name] === 'string') out[lang] = t.properties[name]!;
    if (own && typeof own === 'object') for (const [lang, v] of Object.entries(own)) if (typeof v === 'string') out[lang] = v;
    return out;
  };
  const fields = [...m.fields.values()]
    .filter((f) => !f.internal && (access.canRead(m, f) || (f.writeOnly && writes && access.canWrite(m, f))))
    .map((f) => fieldMeta(m, f, {
      writable: writes && access.canWrite(m, f),
      filterable: !f.writeOnly && (filterable === undefined || filterable.has(f.name)),
      i18n: labelsOf(f.name, f.schema['x-i18n']),
      ...enumTitlesOf(f.name, f.schema['x-enum-titles']),
    }));
  const readableField = new Set(fields.filter((f) => !f.writeOnly).map((f) => f.name));
  const relations = [...m.relations.values()]
    .filter((r) => readable(r.target) && (access.canReadRelation?.(m, r) ?? true))
    .map((r): RelationMeta => {
      const schema = (m.definition.properties as Record<string, Record<string, unknown>>)[r.name] ?? {};
      return {
        name: r.name, kind: r.kind, target: r.target, ...(r.via ? { via: r.via } : {}),
        title: typeof schema.title === 'string' ? schema.title : humanize(r.name),
        i18n: labelsOf(r.name, schema['x-i18n']),
        writable: r.kind === 'many-to-many' && writes && (access.canWriteRelation?.(m, r) ?? true),
        filterable: filterable === undefined || filterable.has(r.name),
      };
    });
  // A path column is shown when its first step is readable; the API hides what lies beyond.
  // A one-to-many relation cannot be fetched with a list (`fields` refuses it), so it is no column;
  // a path is one when the caller may read each step (a teacher's course list without teacher.name).
  const shown = (path: string) => pathReadable(graph, access, m, path, readable) || relations.some((r) => r.name === path && r.kind === 'many-to-many');
  const moduleI18n: Record<string, string> = {};
  for (const [lang, t] of Object.entries(translations)) if (typeof t?.title === 'string') moduleI18n[lang] = t.title;
  const columns = m.list.columns.filter(shown);
  const label = [...NAME_FIELDS, ...columns, ...fields.map((f) => f.name)].find((c) => NAMING.has(m.fields.get(c)?.kind as FieldKind) && readableField.has(c)) ?? 'id';
  return {
    name: m.name,
    title: m.title,
    ...(typeof m.definition.description === 'string' ? { description: m.definition.description } : {}),
    i18n: moduleI18n,
    builtin: m.builtin,
    actions,
    fields,
    relations,
    list: {
      columns,
      search: m.list.search.filter(shown),
      filters: m.list.filters.filter(shown),
      sort: m.list.sort,
    },
    label,
    ...(typeof m.definition['x-owner'] === 'string' && fields.some((f) => f.name === m.definition['x-owner']) ? { owner: m.definition['x-owner'] } : {}),
    softDelete: m.softDelete ?? false,
    ...departmentPathOf(graph, access, m, readable),
  };
}

/** See ModuleMeta.departmentPath: only a path the API would let this caller group by. */
function departmentPathOf(graph: ModuleGraph, access: Access, m: Module, readable: (name: string) => boolean): { departmentPath?: string } {
  const path = graph.modules.has('department') ? scopePath(graph, m, 'department') : undefined;
  if (!path?.ok || path.refs.length === 0) return {};
  const first = access.filterable?.(m);
  if (first && !first.has(path.refs[0]!)) return {};
  const joined = path.refs.join('.');
  return pathReadable(graph, access, m, `${joined}.code`, readable) ? { departmentPath: joined } : {};
}

function fieldMeta(m: Module, f: Field, access: { writable: boolean; filterable: boolean; i18n: Record<string, string>; enumTitles?: FieldMeta['enumTitles'] }): FieldMeta {
  const s = f.schema;
  const items = (s.items ?? {}) as { enum?: unknown; type?: unknown };
  return {
    name: f.name,
    kind: f.kind,
    title: typeof s.title === 'string' ? s.title : humanize(f.name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    i18n: access.i18n,
    required: f.required,
    system: f.system,
    writable: access.writable,
    filterable: access.filterable,
    sortable: !UNSORTABLE.has(f.kind),
    unique: f.unique || m.uniques.some((u) => u.length === 1 && u[0] === f.name),
    writeOnly: f.writeOnly,
    ...(f.enum ? { enum: f.enum } : {}),
    ...(access.enumTitles ? { enumTitles: access.enumTitles } : {}),
    ...(f.maxLength !== undefined ? { maxLength: f.maxLength } : {}),
    ...(typeof s.minLength === 'number' ? { minLength: s.minLength } : {}),
    ...(typeof s.pattern === 'string' ? { pattern: s.pattern } : {}),
    ...(typeof s.format === 'string' ? { format: s.format } : {}),
    ...(typeof s.minimum === 'number' ? { minimum: s.minimum } : {}),
    ...(typeof s.maximum === 'number' ? { maximum: s.maximum } : {}),
    ...(f.kind === 'number' && f.scale !== undefined ? { scale: f.scale } : {}),
    ...(f.default !== undefined ? { default: f.default } : {}),
    ...(f.ref ? { ref: f.ref } : {}),
    ...(s['x-names'] === 'module' ? { namesModule: true } : {}),
    ...(f.fieldType ? { fieldType: f.fieldType } : {}),
    ...(Array.isArray(items.enum) ? { items: items.enum.map(String) } : {}),
    ...(f.kind === 'json' && s.type === 'array' && items.type === 'string' && !Array.isArray(items.enum) ? { stringList: true } : {}),
    ...(f.kind === 'file' ? { maxBytes: MAX_FILE_BYTES } : {}),
  };
}

/** `lastContactAt` → `Last contact at`: a readable title for a property that has none. */
export function humanize(name: string): string {
  const words = name.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
