/**
 * Renames carried into everything that names a field or module by its name: other definitions
 * (references, inverse relations, scope paths), a definition's own keywords, rule and saved-view
 * filters (paths walked through the definitions), permission field lists and list URLs. Pure:
 * core/migrate/rewrite-references.ts reads and writes the records.
 */
import type { JsonSchema } from './module.js';

export interface Renames {
  /** Old module name → new. */
  readonly modules: ReadonlyMap<string, string>;
  /** Per module (old name): old field name → new. */
  readonly fields: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** Definitions by their name before the renames. */
export type Definitions = ReadonlyMap<string, JsonSchema>;

const props = (def: JsonSchema | undefined) => ((def?.properties ?? {}) as Record<string, JsonSchema>);
const moduleName = (r: Renames, m: string) => r.modules.get(m) ?? m;
const fieldName = (r: Renames, m: string, f: string) => r.fields.get(m)?.get(f) ?? f;

/** A dotted path from `module` (`customer.salesman.department`), each step renamed in the module it is a field of. */
export function renamePath(defs: Definitions, module: string, path: string, r: Renames): string {
  let at: string | undefined = module;
  return path.split('.').map((segment) => {
    if (!at) return segment;
    const renamed = fieldName(r, at, segment);
    const p: JsonSchema | undefined = props(defs.get(at))[segment];
    at = typeof p?.['x-ref'] === 'string' ? p['x-ref'] : typeof p?.['x-inverse'] === 'string' ? p['x-inverse'].split('.')[0] : undefined;
    return renamed;
  }).join('.');
}

const COMBINATORS = new Set(['and', 'or']);
const QUANTIFIERS = new Set(['some', 'none', 'every']);

/** A list filter or rule filter on `module`, with its paths renamed; values are kept as they are. */
export function renameFilter(defs: Definitions, module: string, filter: unknown, r: Renames): unknown {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return filter;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (COMBINATORS.has(key) && Array.isArray(value)) out[key] = value.map((f) => renameFilter(defs, module, f, r));
    else if (key === 'not') out[key] = renameFilter(defs, module, value, r);
    else {
      const path = renamePath(defs, module, key, r);
      const target = targetOf(defs, module, key);
      out[path] = target && value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([q, f]) => [q, QUANTIFIERS.has(q) ? renameFilter(defs, target, f, r) : f]))
        : value;
    }
  }
  return out;
}

/** The module a one-to-many path ends at, for the filter nested under some/none/every. */
function targetOf(defs: Definitions, module: string, path: string): string | undefined {
  let at: string | undefined = module;
  let last: JsonSchema | undefined;
  for (const segment of path.split('.')) {
    if (!at) return undefined;
    last = props(defs.get(at))[segment];
    at = typeof last?.['x-ref'] === 'string' ? last['x-ref'] : typeof last?.['x-inverse'] === 'string' ? last['x-inverse'].split('.')[0] : undefined;
  }
  return typeof last?.['x-inverse'] === 'string' ? at : undefined;
}

/**
 * Another module's definition, with its references to renamed modules and fields renamed:
 * `x-ref`, `x-inverse` and `x-scope-paths` (base module names and the paths to them).
 */
export function renameInDefinition(defs: Definitions, def: JsonSchema, r: Renames): JsonSchema {
  const self = String(def.$id);
  const properties = Object.fromEntries(Object.entries(props(def)).map(([name, p]) => {
    let next = p;
    if (typeof p['x-ref'] === 'string' && r.modules.has(p['x-ref'])) next = { ...next, 'x-ref': moduleName(r, p['x-ref']) };
    if (typeof p['x-inverse'] === 'string') {
      const [target, via] = p['x-inverse'].split('.') as [string, string];
      const renamed = `${moduleName(r, target)}.${fieldName(r, target, via)}`;
      if (renamed !== p['x-inverse']) next = { ...next, 'x-inverse': renamed };
    }
    return [name, next];
  }));
  const out: JsonSchema = { ...def, properties };
  const paths = def['x-scope-paths'] as Record<string, string> | undefined;
  if (paths) out['x-scope-paths'] = Object.fromEntries(Object.entries(paths).map(([base, path]) => [moduleName(r, base), renamePath(defs, self, path, r)]));
  return out;
}

/**
 * The module's own keywords that still name a renamed field by its old name (a definition sent
 * with only its properties renamed): required, x-list, x-unique, x-index, x-owner, x-scope-paths
 * and the translated field titles. Names the new definition uses as fields are left alone.
 */
export function renameOwnKeywords(def: JsonSchema, fields: ReadonlyMap<string, string>): JsonSchema {
  if (fields.size === 0) return def;
  const present = new Set(Object.keys(props(def)));
  const one = (name: string) => (present.has(name) ? name : fields.get(name) ?? name);
  const sortTerm = (term: string) => (term.startsWith('-') ? `-${one(term.slice(1))}` : one(term));
  const out: JsonSchema = { ...def };
  if (Array.isArray(def.required)) out.required = (def.required as string[]).map(one);
  for (const key of ['x-unique', 'x-index'] as const) if (Array.isArray(def[key])) out[key] = (def[key] as string[][]).map((set) => set.map(one));
  if (typeof def['x-owner'] === 'string') out['x-owner'] = one(def['x-owner']);
  const list = def['x-list'] as Record<string, unknown> | undefined;
  if (list) {
    out['x-list'] = {
      ...list,
      ...(Array.isArray(list.columns) ? { columns: (list.columns as string[]).map(firstStep(one)) } : {}),
      ...(Array.isArray(list.search) ? { search: (list.search as string[]).map(one) } : {}),
      ...(Array.isArray(list.filters) ? { filters: (list.filters as string[]).map(firstStep(one)) } : {}),
      ...(typeof list.sort === 'string' ? { sort: list.sort.split(',').map(sortTerm).join(',') } : {}),
    };
  }
  const paths = def['x-scope-paths'] as Record<string, string> | undefined;
  if (paths) out['x-scope-paths'] = Object.fromEntries(Object.entries(paths).map(([b, p]) => [b, firstStep(one)(p)]));
  const i18n = def['x-i18n'] as Record<string, { properties?: Record<string, string> }> | undefined;
  if (i18n) {
    out['x-i18n'] = Object.fromEntries(Object.entries(i18n).map(([lang, t]) => [lang, t?.properties
      ? { ...t, properties: Object.fromEntries(Object.entries(t.properties).map(([f, v]) => [one(f), v])) }
      : t]));
  }
  return out;
}

const firstStep = (one: (n: string) => string) => (path: string) => {
  const [head, ...rest] = path.split('.');
  return [one(head!), ...rest].join('.');
};

/** A permission's field list (readFields, writeFields, filterFields) of a renamed module's fields. */
export function renameFieldList(defs: Definitions, module: string, list: readonly string[], r: Renames): string[] {
  return list.map((path) => renamePath(defs, module, path, r));
}

/**
 * A saved list's query string (`f=[{"field": …}]&sort=-a,b&cols=a,b.c&q=…`) with its field names
 * renamed; anything it does not understand is kept.
 */
export function renameListQuery(defs: Definitions, module: string, query: string, r: Renames): string {
  const params = new URLSearchParams(query);
  const f = params.get('f');
  if (f) {
    try {
      const rows = JSON.parse(f) as unknown;
      if (Array.isArray(rows)) {
        params.set('f', JSON.stringify(rows.map((row) => (row && typeof row === 'object' && typeof (row as { field?: unknown }).field === 'string'
          ? { ...row, field: renamePath(defs, module, (row as { field: string }).field, r) }
          : row))));
      }
    } catch {
      // not JSON: the list ignores it too
    }
  }
  const sort = params.get('sort');
  if (sort) params.set('sort', sort.split(',').map((t) => (t.startsWith('-') ? `-${renamePath(defs, module, t.slice(1), r)}` : renamePath(defs, module, t, r))).join(','));
  const cols = params.get('cols');
  if (cols) params.set('cols', cols.split(',').map((c) => renamePath(defs, module, c, r)).join(','));
  return params.toString();
}
