/**
 * The module designer's model: what the admin edits (one row per field, with plain choices such
 * as "choice list" or "reference") and the JSON Schema definition it becomes. An existing
 * definition is read into a draft and written back over itself, so that whatever the designer
 * does not edit (x-owner, one-to-many relations, composite keys…) is sent unchanged. A draft
 * remembers each field's stored name, so that a renamed field is sent as a rename (with its
 * list settings, labels and key sets following it) rather than as one field dropped and another
 * added; module-migration.ts turns that into the request's `x-migration`.
 */

export type Json = Record<string, any>;

export const FIELD_TYPES = ['string', 'text', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum', 'file', 'ref', 'many'] as const;
/** `kept`: a kind the designer does not edit (JSON, password, one-to-many): sent as it was. */
export type FieldType = (typeof FIELD_TYPES)[number] | 'kept';

export interface FieldDraft {
  /** Stable across renames, for keys and errors. */
  key: number;
  name: string;
  /** The name the field is stored under (existing fields): a different `name` is a rename. */
  from?: string;
  title: string;
  /** Help text under the field on the forms (`description`). */
  description: string;
  zh: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  /** Choice list: the choices, comma separated as typed. */
  options: string;
  /** Choice list: what each choice is called on screen, and in Chinese, comma separated in the choices' order (x-enum-titles). */
  optionTitles: string;
  optionZh: string;
  /** Reference and many-to-many: the target module. */
  target: string;
  inList: boolean;
  search: boolean;
  filter: boolean;
  /** Reference: visibility restrictions flow through it (`x-scope`, true unless false). */
  scoped: boolean;
  /** Choice list: a removed choice → the choice its stored values become ('' for none; unset: the choice typed in its place). */
  valueMap: Record<string, string>;
  /** The keywords of LIMITS and `default`, as typed ('' for none). */
  default: string;
  minimum: string;
  maximum: string;
  minLength: string;
  maxLength: string;
  pattern: string;
  /** Text: '' or `email` / `uri`. */
  format: string;
  /** The property as it was stored (existing fields), the base the edits are written over. */
  original?: Json;
}

export interface ModuleDraft {
  name: string;
  title: string;
  zh: string;
  description: string;
  fields: FieldDraft[];
  /** `name` or `-name`; '' for the engine's default. */
  sort: string;
  original?: Json;
}

/** Short text gets a length so that it can be indexed, sorted and made unique. */
const TEXT_LENGTH = 200;

let nextKey = 1;

/** The limits a field of each type offers; `default` is offered where DEFAULTS says. */
export type Limit = 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'pattern' | 'format';
export const LIMITS: Readonly<Record<FieldType, readonly Limit[]>> = {
  string: ['minLength', 'maxLength', 'pattern', 'format'],
  text: ['minLength', 'pattern', 'format'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  boolean: [], date: [], datetime: [], enum: [], file: [], ref: [], many: [], kept: [],
};
export const DEFAULTS: ReadonlySet<FieldType> = new Set(['string', 'text', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum']);

/** Keywords of one JSON type only (meta-schema.ts): on a change of type, those of the old type go. */
const TYPE_KEYWORDS = ['maxLength', 'minLength', 'pattern', 'format', 'x-search-index', 'minimum', 'maximum', 'x-precision', 'x-scale', 'x-on-delete', 'x-scope', 'uniqueItems', 'minItems', 'maxItems', 'default'];
const KEEPS: Partial<Record<FieldType, readonly string[]>> = {
  string: ['x-search-index'], text: ['x-search-index'], number: ['x-precision', 'x-scale'], ref: ['x-on-delete'], many: ['uniqueItems', 'minItems', 'maxItems'],
};

export function emptyField(): FieldDraft {
  return {
    key: nextKey++, name: '', title: '', description: '', zh: '', type: 'string', required: false, unique: false, options: '', optionTitles: '', optionZh: '', target: '',
    inList: true, search: false, filter: false, scoped: true, valueMap: {}, default: '', minimum: '', maximum: '', minLength: '', maxLength: '', pattern: '', format: '',
  };
}

export const emptyModule = (): ModuleDraft => ({ name: '', title: '', zh: '', description: '', fields: [emptyField()], sort: '' });

/** A stored keyword as the draft's text: strings as they are, anything else as JSON. */
const textOf = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** The designer's type of a stored property. */
export function typeOf(p: Json): FieldType {
  if (p['x-type'] === 'file') return 'file';
  if (p['x-inverse'] || p['x-password'] || p.format === 'password') return 'kept';
  if (p.type === 'array') return p['x-ref'] && p.items?.type === 'integer' ? 'many' : 'kept';
  if (p['x-ref']) return 'ref';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'integer') return 'integer';
  if (p.type === 'number') return 'number';
  if (p.type === 'string') {
    if (Array.isArray(p.enum)) return 'enum';
    if (p.format === 'date') return 'date';
    if (p.format === 'date-time') return 'datetime';
    if (p.format && p.format !== 'email' && p.format !== 'uri') return 'kept';
    return typeof p.maxLength === 'number' ? 'string' : 'text';
  }
  return 'kept';
}

export function draftOf(def: Json): ModuleDraft {
  const list: Json = def['x-list'] ?? {};
  const zhModule: Json = def['x-i18n']?.zh ?? {};
  const required = new Set<string>(def.required ?? []);
  const fields = Object.entries<Json>(def.properties ?? {}).map(([name, p]): FieldDraft => ({
    key: nextKey++,
    name,
    from: name,
    title: p.title ?? '',
    description: p.description ?? '',
    zh: (typeof p['x-i18n']?.zh === 'string' ? p['x-i18n'].zh : zhModule.properties?.[name]) ?? '',
    type: typeOf(p),
    required: required.has(name),
    unique: p['x-unique'] === true,
    options: Array.isArray(p.enum) ? p.enum.join(', ') : '',
    optionTitles: titlesText(p.enum, p['x-enum-titles']),
    optionZh: titlesText(p.enum, zhModule.enums?.[name]),
    target: p['x-ref'] ?? '',
    inList: (list.columns ?? []).includes(name),
    search: (list.search ?? []).includes(name),
    filter: (list.filters ?? []).includes(name),
    scoped: p['x-scope'] !== false,
    valueMap: {},
    default: textOf(p.default),
    minimum: textOf(p.minimum),
    maximum: textOf(p.maximum),
    minLength: textOf(p.minLength),
    maxLength: textOf(p.maxLength),
    pattern: textOf(p.pattern),
    format: p.format === 'email' || p.format === 'uri' ? p.format : '',
    original: p,
  }));
  return { name: def.$id ?? '', title: def.title ?? '', zh: zhModule.title ?? '', description: def.description ?? '', fields, sort: list.sort ?? '', original: def };
}

export const splitOptions = (text: string): string[] => text.split(/[,，]/).map((s) => s.trim()).filter((s) => s !== '');

/** Titles in the choices' order, comma separated; a choice without one leaves its place empty. */
function titlesText(values: unknown, titles: Json | undefined): string {
  if (!Array.isArray(values) || !titles) return '';
  const list = values.map((v) => String(titles[String(v)] ?? ''));
  return list.some((x) => x !== '') ? list.join(', ') : '';
}

/** The typed titles as `{value: title}`, by position; an empty place or a title equal to its value says nothing. */
function titlesOf(values: readonly string[], text: string): Json | undefined {
  const typed = text.split(/[,，]/).map((x) => x.trim());
  const out: Json = {};
  values.forEach((v, i) => {
    if (typed[i] && typed[i] !== v) out[v] = typed[i];
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A keyword's value from its typed text: unchanged text keeps the stored value as it was (a
 * default of any JSON shape), a number where a number belongs; text that is not one is sent as
 * typed, for the server to say what is wrong with it on the field.
 */
function keywordOf(f: FieldDraft, key: Limit | 'default', sameType: boolean): unknown {
  const raw = f[key];
  const text = key === 'default' || key === 'pattern' ? raw : raw.trim();
  if (text === '') return undefined;
  if (sameType && f.original && key in f.original && textOf(f.original[key]) === text) return f.original[key];
  if (key === 'pattern' || key === 'format') return text;
  if (key === 'default') {
    if (f.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
    if (f.type !== 'number' && f.type !== 'integer') return text;
  }
  return NUMBER.test(text.trim()) ? Number(text) : text;
}

/** The property's schema for its type; keywords of the other types are dropped, the rest kept. */
function propertyOf(f: FieldDraft): Json {
  const base: Json = { ...(f.original ?? {}) };
  for (const k of ['title', 'description']) delete base[k];
  const annotations: Json = {};
  if (f.title.trim()) annotations.title = f.title.trim();
  if (f.description.trim()) annotations.description = f.description.trim();
  if (f.type === 'kept') return { ...annotations, ...base };
  for (const k of ['type', 'enum', 'x-enum-titles', 'x-ref', 'items', 'x-unique', 'x-type', 'format', ...LIMITS[f.type]]) delete base[k];
  if (DEFAULTS.has(f.type)) delete base.default;
  const sameType = !f.original || typeOf(f.original) === f.type;
  if (!sameType) for (const k of TYPE_KEYWORDS) if (!KEEPS[f.type]?.includes(k)) delete base[k];
  const p: Json = {};
  switch (f.type) {
    case 'string': Object.assign(p, { type: 'string', maxLength: keywordOf(f, 'maxLength', sameType) ?? TEXT_LENGTH }); break;
    case 'text': p.type = 'string'; break;
    case 'number': p.type = 'number'; break;
    case 'integer': p.type = 'integer'; break;
    case 'boolean': p.type = 'boolean'; break;
    case 'date': Object.assign(p, { type: 'string', format: 'date' }); break;
    case 'datetime': Object.assign(p, { type: 'string', format: 'date-time' }); break;
    case 'enum': {
      const values = splitOptions(f.options);
      Object.assign(p, { type: 'string', enum: values });
      const titles = titlesOf(values, f.optionTitles);
      if (titles) p['x-enum-titles'] = titles;
      break;
    }
    case 'ref':
      Object.assign(p, { type: 'integer', 'x-ref': f.target });
      if (!f.scoped) p['x-scope'] = false;
      else if (base['x-scope'] === true) p['x-scope'] = true;
      delete base['x-scope'];
      break;
    case 'many': Object.assign(p, { type: 'array', items: { type: 'integer' }, 'x-ref': f.target }); break;
    // A file is a handle the engine stores (core/files): nothing to size, index or make unique.
    case 'file': p['x-type'] = 'file'; break;
  }
  Object.assign(p, annotations);
  for (const key of LIMITS[f.type]) {
    if (key === 'maxLength') continue;
    const value = keywordOf(f, key, sameType);
    if (value !== undefined) p[key] = value;
  }
  if (DEFAULTS.has(f.type)) {
    const value = keywordOf(f, 'default', sameType);
    if (value !== undefined) p.default = value;
  }
  if (f.unique && f.type !== 'file') p['x-unique'] = true;
  return { ...p, ...base };
}

/**
 * Keeps the stored order of an `x-list` entry list and appends new ones; drops unchecked and
 * removed fields and the paths through removed ones; keeps paths (`region.name`) and system
 * fields (`createdAt`), which the designer does not list.
 */
function listEntries(before: readonly string[] | undefined, names: readonly string[], removed: ReadonlySet<string>, checked: (name: string) => boolean): string[] {
  const fieldNames = new Set(names);
  const kept = (before ?? []).filter((e) => {
    const head = e.split('.')[0]!;
    if (removed.has(head)) return false;
    return e.includes('.') || !fieldNames.has(e) || checked(e);
  });
  return [...kept, ...names.filter((n) => checked(n) && !kept.includes(n))];
}

/** Stored name → new name, for the existing fields whose name was changed. */
export function renamesOf(d: ModuleDraft): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of d.fields) if (f.from && f.name.trim() && f.name.trim() !== f.from) out[f.from] = f.name.trim();
  return out;
}

/** `customer.name` with its first step renamed; `-phone` keeps its sign. */
const renamedPath = (path: string, renames: Readonly<Record<string, string>>): string => {
  const sign = /^[-+]/.exec(path)?.[0] ?? '';
  const [head = '', ...rest] = path.slice(sign.length).split('.');
  return [sign + (Object.hasOwn(renames, head) ? renames[head] : head), ...rest].join('.');
};

/**
 * The stored definition with fields renamed wherever it names them: properties, required, the
 * list settings (paths through them too), scope paths, key sets, the owner and the translations.
 */
function withRenames(def: Json, renames: Readonly<Record<string, string>>): Json {
  if (Object.keys(renames).length === 0) return def;
  const path = (p: unknown) => (typeof p === 'string' ? renamedPath(p, renames) : p);
  const paths = (list: unknown) => (Array.isArray(list) ? list.map(path) : list);
  const keys = (o: unknown) => (o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).map(([k, v]) => [Object.hasOwn(renames, k) ? renames[k] : k, v])) : o);
  const out: Json = { ...def };
  if (def.properties) out.properties = keys(def.properties);
  if (def.required) out.required = paths(def.required);
  if (def['x-list']) {
    const list: Json = { ...def['x-list'] };
    for (const k of ['columns', 'search', 'filters']) if (list[k]) list[k] = paths(list[k]);
    if (typeof list.sort === 'string') list.sort = list.sort.split(',').map(path).join(',');
    out['x-list'] = list;
  }
  if (def['x-scope-paths']) out['x-scope-paths'] = Object.fromEntries(Object.entries<unknown>(def['x-scope-paths']).map(([k, v]) => [k, path(v)]));
  for (const k of ['x-unique', 'x-index']) if (Array.isArray(def[k])) out[k] = def[k].map(paths);
  if (typeof def['x-owner'] === 'string') out['x-owner'] = path(def['x-owner']);
  if (def['x-i18n']) {
    out['x-i18n'] = Object.fromEntries(Object.entries<Json>(def['x-i18n']).map(([lang, words]) => {
      if (!words || typeof words !== 'object') return [lang, words];
      const renamed: Json = { ...words };
      if (words.properties) renamed.properties = keys(words.properties);
      if (words.enums) renamed.enums = keys(words.enums);
      return [lang, renamed];
    }));
  }
  return out;
}

/**
 * A field changed: a new name takes the default sort with it, so the sort never names a field
 * that is no longer there (or, worse, a new field given the old name).
 */
export function withField(d: ModuleDraft, key: number, patch: Partial<FieldDraft>): ModuleDraft {
  const before = d.fields.find((f) => f.key === key);
  let sort = d.sort;
  if (before && patch.name !== undefined && before.name.trim() && sort.replace(/^[-+]/, '') === before.name.trim()) {
    sort = sort.replace(before.name.trim(), patch.name.trim());
  }
  return { ...d, sort, fields: d.fields.map((f) => (f.key === key ? { ...f, ...patch } : f)) };
}

/** The field moved one place up (-1) or down (+1); the definition's property order follows. */
export function moved(d: ModuleDraft, key: number, by: -1 | 1): ModuleDraft {
  const at = d.fields.findIndex((f) => f.key === key);
  const to = at + by;
  if (at < 0 || to < 0 || to >= d.fields.length) return d;
  const fields = [...d.fields];
  [fields[at], fields[to]] = [fields[to]!, fields[at]!];
  return { ...d, fields };
}

/**
 * The definition to send: the original with the draft's edits written over it. It keeps the
 * stored `$id`: a new module name travels in `x-migration` (module-migration.ts).
 */
export function definitionOf(d: ModuleDraft): Json {
  const original: Json = withRenames(d.original ?? {}, renamesOf(d));
  const fields = d.fields.filter((f) => f.name.trim() !== '');
  const names = fields.map((f) => f.name.trim());
  const byName = (n: string) => fields.find((f) => f.name.trim() === n);

  const properties: Json = {};
  for (const f of fields) properties[f.name.trim()] = propertyOf(f);

  const zhProps: Json = { ...(original['x-i18n']?.zh?.properties ?? {}) };
  for (const f of fields) {
    const name = f.name.trim();
    // A label written on the property stays there; the others live with the module's.
    if (typeof f.original?.['x-i18n']?.zh === 'string') {
      properties[name] = { ...properties[name], 'x-i18n': { ...properties[name]['x-i18n'], zh: f.zh.trim() || undefined } };
      if (!f.zh.trim()) delete properties[name]['x-i18n'].zh;
      continue;
    }
    if (f.zh.trim()) zhProps[name] = f.zh.trim();
    else delete zhProps[name];
  }
  for (const n of Object.keys(zhProps)) if (!properties[n]) delete zhProps[n];
  // Chinese titles of choices live with the module's translations (x-i18n.zh.enums).
  // A kept field's titles (an enum list such as permission.actions) stay as they were.
  const zhEnums: Json = {};
  for (const [n, titles] of Object.entries<Json>(original['x-i18n']?.zh?.enums ?? {})) {
    if (properties[n] && byName(n)?.type !== 'enum') zhEnums[n] = titles;
  }
  for (const f of fields) {
    const values = properties[f.name.trim()].enum;
    const titles = f.type === 'enum' && Array.isArray(values) ? titlesOf(values, f.optionZh) : undefined;
    if (titles) zhEnums[f.name.trim()] = titles;
  }
  const zh: Json = { ...(original['x-i18n']?.zh ?? {}) };
  if (d.zh.trim()) zh.title = d.zh.trim();
  else delete zh.title;
  if (Object.keys(zhProps).length > 0) zh.properties = zhProps;
  else delete zh.properties;
  if (Object.keys(zhEnums).length > 0) zh.enums = zhEnums;
  else delete zh.enums;
  const i18n: Json = { ...(original['x-i18n'] ?? {}) };
  if (Object.keys(zh).length > 0) i18n.zh = zh;
  else delete i18n.zh;

  const originalList: Json = original['x-list'] ?? {};
  const removed = new Set(Object.keys(original.properties ?? {}).filter((n) => !properties[n]));
  const list: Json = {
    ...originalList,
    columns: listEntries(originalList.columns, names, removed, (n) => !!byName(n)?.inList),
    search: listEntries(originalList.search, names, removed, (n) => !!byName(n)?.search),
    filters: listEntries(originalList.filters, names, removed, (n) => !!byName(n)?.filter),
  };
  if (d.sort) list.sort = d.sort;
  else delete list.sort;
  for (const k of ['columns', 'search', 'filters']) if (list[k].length === 0) delete list[k];

  const requiredNow = fields.filter((f) => f.required).map((f) => f.name.trim());
  const stillRequired = ((original.required ?? []) as string[]).filter((n) => requiredNow.includes(n));
  const required = [...stillRequired, ...requiredNow.filter((n) => !stillRequired.includes(n))];
  const def: Json = { ...original, $id: d.original?.$id ?? d.name.trim(), title: d.title.trim() || undefined, description: d.description.trim() || undefined, type: 'object', properties };
  if (required.length > 0) def.required = required;
  else delete def.required;
  if (Object.keys(i18n).length > 0) def['x-i18n'] = i18n;
  else delete def['x-i18n'];
  if (Object.keys(list).length > 0) def['x-list'] = list;
  else delete def['x-list'];
  // Key order of the preview: the usual reading order of a definition.
  const { $id, title, description, type, ...rest } = def;
  return JSON.parse(JSON.stringify({ $id, title, description, type, ...rest })) as Json;
}

/** Where a server error's JSON pointer lands: a field row (by name), a module input, or nowhere in particular. */
export function errorTarget(pointer: string): { field: string } | { module: 'name' | 'title' | 'zh' | 'list' } | undefined {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (parts[0] === 'properties' && parts[1]) return { field: parts[1] };
  if (parts[0] === '$id') return { module: 'name' };
  if (parts[0] === 'title') return { module: 'title' };
  if (parts[0] === 'x-i18n') return (parts[2] === 'properties' || parts[2] === 'enums') && parts[3] ? { field: parts[3] } : { module: 'zh' };
  if (parts[0] === 'x-list') return { module: 'list' };
  return undefined;
}
