import { badRequest } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { Condition, OrderBy, Scalar } from './ast.js';
import { and, compare, or } from './ast.js';
import { toStored } from './values.js';

/**
 * Keyset paging: `after=<cursor>` continues a list after the last row of the previous page, in
 * the same sort order, without counting or skipping the rows before it (as OFFSET must). The
 * cursor holds the last row's sort values; the condition reads "comes after them" column by
 * column, with NULLs where both databases put them (first ascending, last descending).
 */
export function encodeCursor(values: readonly Scalar[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, orderBy: readonly OrderBy[], module: Module): Scalar[] {
  const fail = () =>
    badRequest('invalid_query', 'after must be the meta.next cursor of the previous page, with the same sort', [{ path: '/after', message: 'is not a cursor for this sort' }]);
  if (cursor.length > 2000) throw fail();
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw fail();
  }
  if (!Array.isArray(values) || values.length !== orderBy.length) throw fail();
  return values.map((v, i) => {
    if (v === null) return null;
    const field = module.fields.get(orderBy[i]!.target.field);
    const stored = field ? toStored(field, v) : { error: 'unknown' };
    if ('error' in stored) throw fail();
    return stored.value;
  });
}

/** Rows strictly after `values` in `orderBy` order (whose last key is unique: the id). */
export function after(orderBy: readonly OrderBy[], values: readonly Scalar[]): Condition {
  const step = (i: number): Condition => {
    const o = orderBy[i]!;
    const v = values[i]!;
    const beyond = beyondValue(o, v);
    if (i === orderBy.length - 1) return beyond;
    const same = v === null ? compare(o.target, 'isNull', true) : compare(o.target, 'eq', v);
    return or(beyond, and(same, step(i + 1)));
  };
  return step(0);
}

function beyondValue(o: OrderBy, v: Scalar): Condition {
  if (v === null) return o.desc ? { kind: 'const', value: false } : compare(o.target, 'isNull', false);
  return o.desc ? or(compare(o.target, 'lt', v), compare(o.target, 'isNull', true)) : compare(o.target, 'gt', v);
}
