import { badRequest, type ErrorDetail } from '../errors.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import type { Condition, FieldRef, OrderBy } from './ast.js';
import { and, or } from './ast.js';
import type { FieldAccess } from './field-access.js';
import { parseFilterParam } from './parse-filter.js';
import { isDetail, resolvePath } from './resolve-path.js';
import { hasTrigramIndex, searchGrams } from './trigrams.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 500;

export interface ListRequest {
  readonly where: Condition;
  readonly columns: readonly FieldRef[];
  /** Many-to-many relations to return as id arrays. */
  readonly relations: readonly string[];
  readonly orderBy: readonly OrderBy[];
  readonly page: number;
  readonly pageSize: number;
}

export interface ListParams {
  filter?: string | undefined;
  q?: string | undefined;
  sort?: string | undefined;
  page?: string | undefined;
  pageSize?: string | undefined;
  fields?: string | undefined;
  /** `exact` (default), `capped` (count up to totalCap), `estimated` (the database's estimate), `none`. */
  total?: string | undefined;
  totalCap?: string | undefined;
  /** Keyset paging: the `meta.next` cursor of the previous page. */
  after?: string | undefined;
  /** `only`: the soft-deleted records (x-soft-delete) instead of the live ones; needs the delete permission. */
  deleted?: string | undefined;
}

/** Parses the list query string of API.md; every fault at once, as 400 with a pointer per parameter. */
export function parseList(params: ListParams, module: Module, graph: ModuleGraph, access: FieldAccess): ListRequest {
  const details: ErrorDetail[] = [];
  const where = collect(details, () => parseFilterParam(params.filter, module, graph, access)) ?? and();
  const search = parseSearch(params.q, module, graph, access, details);
  const { columns, relations } = parseFields(params.fields, module, graph, access, details);
  const orderBy = parseSort(params.sort ?? module.list.sort, module, graph, access, details);
  // The offset (page − 1) × pageSize must stay a safe integer, or compiling it fails (a 500).
  const page = positiveInt(params.page, 1, Math.floor(Number.MAX_SAFE_INTEGER / MAX_PAGE_SIZE), '/page', details);
  const pageSize = positiveInt(params.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, '/pageSize', details);
  if (details.length > 0) throw badRequest('invalid_query', 'The list parameters are not valid; see details', details);
  return { where: and(where, search), columns, relations, orderBy, page, pageSize };
}

function collect<T>(details: ErrorDetail[], fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e && typeof e === 'object' && 'details' in e) details.push(...(e as { details: ErrorDetail[] }).details);
    else throw e;
    return undefined;
  }
}

/** `q`: a substring searched in the module's `x-list.search` fields that the caller may read. */
export function parseSearch(q: string | undefined, module: Module, graph: ModuleGraph, access: FieldAccess, details: ErrorDetail[]): Condition {
  if (q === undefined || q.trim() === '') return and();
  if (q.length > 200) {
    details.push({ path: '/q', message: 'search text may be at most 200 characters' });
    return and();
  }
  const targets = module.list.search
    .map((p) => resolvePath(p, module, graph, access, '/q'))
    // Text fields only: `contains` on a number does not compile (definitions are checked for it too).
    .filter((r) => !isDetail(r) && r.kind === 'field' && ['string', 'text', 'enum'].includes(r.field.kind));
  if (targets.length === 0) {
    details.push({ path: '/q', message: `${module.name} has no searchable fields you can read (x-list.search)` });
    return and();
  }
  const text = q.trim();
  const refs = targets.map((t) => (t as { ref: FieldRef }).ref);
  // The trigram index narrows only when it covers every field searched: one field without it is a scan anyway.
  const indexed = refs.every((r) => r.refs.length === 0 && hasTrigramIndex(module.fields.get(r.field)!)) && searchGrams(text).length > 0;
  return or(...refs.map((target): Condition => ({ kind: 'compare', target, op: 'contains', value: text, ...(indexed ? { index: 'trigram' as const } : {}) })));
}

export function parseFields(
  text: string | undefined,
  module: Module,
  graph: ModuleGraph,
  access: FieldAccess,
  details: ErrorDetail[],
): { columns: FieldRef[]; relations: string[] } {
  if (text === undefined || text.trim() === '') {
    const columns = [...module.fields.values()].filter((f) => access.canRead(module, f)).map((f) => ({ refs: [], field: f.name }));
    // Only relations the caller may read (a permission's readFields may leave them out: access control).
    const relations = [...module.relations.values()].filter((r) => r.kind === 'many-to-many' && (access.canReadRelation?.(module, r) ?? true)).map((r) => r.name);
    return { columns, relations };
  }
  const columns: FieldRef[] = [{ refs: [], field: 'id' }];
  const relations: string[] = [];
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > 100) details.push({ path: '/fields', message: 'at most 100 fields' });
  for (const part of parts.slice(0, 100)) {
    const r = resolvePath(part, module, graph, access, '/fields', true);
    if (isDetail(r)) details.push({ ...r, message: `${part}: ${r.message}` });
    else if (r.kind === 'relation') {
      if (r.refs.length > 0 || r.relation.kind !== 'many-to-many') {
        details.push({ path: '/fields', message: `${part}: only many-to-many relations of the module itself can be listed in fields` });
      } else relations.push(r.relation.name);
    } else {
      columns.push(r.ref);
      // An embedded record always carries its id.
      for (let i = 1; i <= r.ref.refs.length; i++) columns.push({ refs: r.ref.refs.slice(0, i), field: 'id' });
    }
  }
  const seen = new Set<string>();
  return {
    columns: columns.filter((c) => {
      const key = [...c.refs, c.field].join('.');
      return seen.has(key) ? false : (seen.add(key), true);
    }),
    relations,
  };
}

export function parseSort(text: string, module: Module, graph: ModuleGraph, access: FieldAccess, details: ErrorDetail[]): OrderBy[] {
  const orderBy: OrderBy[] = [];
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > 5) details.push({ path: '/sort', message: 'sort by at most 5 fields' });
  for (const part of parts.slice(0, 5)) {
    const desc = part.startsWith('-');
    const r = resolvePath(desc ? part.slice(1) : part, module, graph, access, '/sort');
    if (isDetail(r)) details.push({ ...r, message: `${part}: ${r.message}` });
    else if (r.kind === 'field') {
      if (r.field.kind === 'json' || r.field.kind === 'text' || r.field.kind === 'file') details.push({ path: '/sort', message: `${part}: long text, JSON and file fields cannot be sorted` });
      else orderBy.push({ target: r.ref, desc });
    }
  }
  // A unique last key keeps pages stable when sort values repeat.
  if (!orderBy.some((o) => o.target.refs.length === 0 && o.target.field === 'id')) {
    orderBy.push({ target: { refs: [], field: 'id' }, desc: orderBy[0]?.desc ?? false });
  }
  return orderBy;
}

function positiveInt(text: string | undefined, fallback: number, max: number, path: string, details: ErrorDetail[]): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!/^\d{1,15}$/.test(text) || n < 1) {
    details.push({ path, message: 'must be a whole number of at least 1' });
    return fallback;
  }
  if (n > max) {
    details.push({ path, message: `must be at most ${max}` });
    return fallback;
  }
  return n;
}
