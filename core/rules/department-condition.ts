import type { Condition } from '../query/ast.js';
import { compare, FALSE, or, TRUE } from '../query/ast.js';
import type { Grants } from './grants.js';

export interface DepartmentScope {
  readonly condition: Condition;
  /** The codes that were granted, after dropping those covered by another (for explain). */
  readonly codes: readonly string[];
  readonly reason: string;
}

/**
 * The built-in restriction on base module `department`: the user's department code as
 * a prefix, or its parent's with `seeSameLevel`, OR-ed with `extraDepartments`; none with
 * `seeAll`. A leaf compares with `=` (an index equality instead of a range), an inner node with a prefix
 * (`LIKE 'c%'`, an index range); a prefix covered by a shorter one is dropped. A user without a
 * department sees no department-scoped records (fail closed).
 *
 * @example departmentScope(user of 001002, leaf) // code = '001002'
 * @example departmentScope(user of 001001 with seeSameLevel) // code LIKE '0010%'
 */
export function departmentScope(grants: Grants): DepartmentScope {
  const own = grants.department;
  if (own?.seeAll) return { condition: TRUE, codes: [], reason: `department ${own.code} sees all records` };
  const wanted: string[] = [];
  if (own) wanted.push(own.seeSameLevel ? parentCode(own.code, grants.departmentCodes) : own.code);
  for (const extra of grants.extraDepartments) wanted.push(extra.code);
  const codes = dropCovered(wanted);
  if (codes.length === 0) return { condition: FALSE, codes, reason: 'the user has no department' };
  const condition = or(
    ...codes.map((code) => (isLeaf(code, grants.departmentCodes) ? compare('code', 'eq', code) : compare('code', 'startsWith', code))),
  );
  return { condition, codes, reason: `department code ${codes.map((c) => `${c}*`).join(' or ')}` };
}

/** The longest existing code that is a proper prefix of `code`; the code itself at the root. */
export function parentCode(code: string, all: readonly string[]): string {
  let parent = '';
  for (const c of all) if (c.length < code.length && code.startsWith(c) && c.length > parent.length) parent = c;
  return parent === '' ? code : parent;
}

export function isLeaf(code: string, all: readonly string[]): boolean {
  return !all.some((c) => c.length > code.length && c.startsWith(code));
}

/** `['0010', '001002', '0020']` → `['0010', '0020']`: a prefix already granted covers its subtree. */
export function dropCovered(codes: readonly string[]): string[] {
  const unique = [...new Set(codes)].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const kept: string[] = [];
  for (const c of unique) if (!kept.some((k) => c.startsWith(k))) kept.push(c);
  return kept.sort();
}
