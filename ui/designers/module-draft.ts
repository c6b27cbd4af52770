/**
 * The module designer's model: what the admin edits (one row per field, with plain choices such
 * as "choice list" or "reference") and the JSON Schema definition it becomes. An existing
 * definition is read into a draft and written back over itself, so that whatever the designer
 * does not edit (patterns, x-owner, one-to-many relations, composite keys…) is sent unchanged:
 * a PUT must be additive, and dropping a keyword the admin never saw would be refused or worse.
 */

export type Json = Record<string, any>;

export const FIELD_TYPES = ['string', 'text', 'number', 'integer', 'boolean', 'date', 'datetime', 'enum', 'file', 'ref', 'many'] as const;
/** `kept`: a kind the designer does not edit (JSON, password, one-to-many): sent as it was. */
export type FieldType = (typeof FIELD_TYPES)[number] | 'kept';

export interface FieldDraft {
  /** Stable across renames, for keys and errors. */
  key: number;
  name: string;
  title: string;
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

export function emptyField(): FieldDraft {
  return { key: nextKey++, name: '', title: '', zh: '', type: 'string', required: false, unique: false, options: '', optionTitles: '', optionZh: '', target: '', inList: true, search: false, filter: false, scoped: true };
}

export const emptyModule = (): ModuleDraft => ({ name: '', title: '', zh: '', description: '', fields: [emptyField()], sort: '' });

function typeOf(p: Json): FieldType {
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
    title: p.title ?? '',
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

/** The property's schema for its type; keywords of the other types are dropped, the rest kept. */
function propertyOf(f: FieldDraft): Json {
  const base: Json = { ...(f.original ?? {}) };
  if (f.type === 'kept') return base;
  for (const k of ['type', 'enum', 'x-enum-titles', 'x-ref', 'items', 'title', 'x-unique', 'x-type']) delete base[k];
  const typeChanged = f.original && typeOf(f.original) !== f.type;
  // An e-mail or URL format stays with a text field; any other type sets its own or none.
  if (typeChanged || (f.type !== 'string' && f.type !== 'text')) delete base.format;
  if (typeChanged) for (const k of ['maxLength', 'minLength', 'pattern', 'minimum', 'maximum', 'default', 'x-on-delete', 'x-scope']) delete base[k];
  const p: Json = {};
  switch (f.type) {
    case 'string': Object.assign(p, { type: 'string', maxLength: base.maxLength ?? TEXT_LENGTH }); break;
    case 'text': Object.assign(p, { type: 'string' }); delete base.maxLength; break;
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
  if (f.title.trim()) p.title = f.title.trim();
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

/** The definition to send: the original with the draft's edits written over it. */
export function definitionOf(d: ModuleDraft): Json {
  const original: Json = d.original ?? {};
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
  const def: Json = { ...original, $id: d.name.trim(), title: d.title.trim() || undefined, description: d.description.trim() || undefined, type: 'object', properties };
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
