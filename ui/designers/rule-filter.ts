/**
 * A rule's `filter` is the list page's filter language, so the rule designer edits it with the
 * list's filter builder. Two conversions the builder does not need for lists: a stored filter
 * back into builder rows (only when the rows give back exactly that filter; anything else is
 * edited as JSON), and the condition the server compiles for a user (`/explain`'s `ast`) into
 * the filter language, so that an admin can count what that user would see.
 */
import type { ModuleMeta, Rec } from '../api.js';
import { fieldOf } from '../api.js';
import { rowsToFilter, type FilterRow } from '../components/filter-builder.js';

const DAYS = /^\$now-(\d+)d$/;

function rowOf(m: ModuleMeta, part: Rec): FilterRow | undefined {
  const keys = Object.keys(part);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  const value = part[name];
  const relation = m.relations.find((r) => r.name === name && r.kind === 'one-to-many');
  if (relation) {
    const q = value && typeof value === 'object' ? Object.keys(value)[0] : undefined;
    const inner = q ? Object.values<Rec>(value[q])[0] : undefined;
    const days = typeof inner?.gte === 'string' ? DAYS.exec(inner.gte)?.[1] : undefined;
    return (q === 'none' || q === 'some') && days ? { field: name, op: q === 'none' ? 'noneWithin' : 'someWithin', a: days } : undefined;
  }
  const f = fieldOf(m, name);
  if (!f) return undefined;
  if (value === null) return { field: name, op: 'empty' };
  if (typeof value !== 'object') return { field: name, op: f.kind === 'enum' || f.kind === 'boolean' || f.kind === 'ref' ? 'eq' : 'contains', a: String(value) };
  if ('contains' in value) return { field: name, op: 'contains', a: String(value.contains) };
  if (typeof value.lt === 'string' && DAYS.test(value.lt)) return { field: name, op: 'olderThan', a: DAYS.exec(value.lt)![1] };
  if (typeof value.gte === 'string' && DAYS.test(value.gte)) return { field: name, op: 'within', a: DAYS.exec(value.gte)![1] };
  if ('gte' in value || 'lte' in value) {
    const b = value.lte === undefined ? '' : String(value.lte).replace(/T23:59:59\.999Z$/, '');
    return { field: name, op: 'range', a: value.gte === undefined ? '' : String(value.gte), b };
  }
  return undefined;
}

/** Builder rows for a stored filter, or undefined when the builder cannot show it as it is. */
export function filterToRows(filter: unknown, m: ModuleMeta, meta: ReadonlyMap<string, ModuleMeta>): FilterRow[] | undefined {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) return undefined;
  const f = filter as Rec;
  if (Object.keys(f).length === 0) return [];
  const parts: Rec[] = Array.isArray(f.and) && Object.keys(f).length === 1 ? f.and : [f];
  const rows = parts.map((p) => (p && typeof p === 'object' ? rowOf(m, p) : undefined));
  if (rows.some((r) => !r)) return undefined;
  // Only rows that give back the very same filter: a rule must not change by being opened.
  return JSON.stringify(rowsToFilter(rows as FilterRow[], m, meta) ?? {}) === JSON.stringify(f) ? (rows as FilterRow[]) : undefined;
}

interface FieldRef { refs: string[]; field: string }
type Operand = unknown;
type Condition =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; target: FieldRef; op: string; value: Operand }
  | { kind: 'relation'; refs: string[]; relation: string; quantifier: string; where: Condition };

const operand = (v: Operand): unknown => (Array.isArray(v) ? v.map(operand)
  : v && typeof v === 'object' && 'var' in v ? (String((v as { var: string }).var).startsWith('$') ? (v as { var: string }).var : `$${(v as { var: string }).var}`) : v);

/** The server's compiled condition (explain's `ast`) in the filter language; `false` is a filter nothing matches. */
export function conditionToFilter(c: Condition): Rec {
  switch (c.kind) {
    case 'const': return c.value ? {} : { id: null };
    case 'and': return { and: c.items.map(conditionToFilter) };
    case 'or': return { or: c.items.map(conditionToFilter) };
    case 'not': return { not: conditionToFilter(c.item) };
    case 'compare': return { [[...c.target.refs, c.target.field].join('.')]: { [c.op]: operand(c.value) } };
    case 'relation': return { [[...c.refs, c.relation].join('.')]: { [c.quantifier]: conditionToFilter(c.where) } };
  }
}
