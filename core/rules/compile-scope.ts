import type { Condition } from '../query/ast.js';
import { and, FALSE, or, prefix, TRUE } from '../query/ast.js';
import { readAll } from '../query/field-access.js';
import { parseFilter } from '../query/parse-filter.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import type { Action } from './access.js';
import { departmentScope, type DepartmentScope } from './department-condition.js';
import type { Grants, RuleGrant } from './grants.js';
import { reachableBases, scopePath } from '../schema/scope-paths.js';
import { missingUserVariables, userVariables } from './user-variables.js';
import { isOwnRecords, ownRecordsCondition } from './own-records.js';

/** Why a base module restricts a module the way it does: what explain shows. */
export interface BaseScope {
  readonly base: string;
  /** The reference path from the target module to the base (`salesman.department`), '' for itself. */
  readonly path: string;
  readonly rules: readonly { readonly id: number; readonly name: string; readonly condition: Condition; readonly error?: string }[];
  readonly department?: DepartmentScope;
  /** The base's condition, moved onto the target module. */
  readonly condition: Condition;
  readonly error?: string;
}

export interface CompiledScope {
  readonly module: string;
  readonly action: Action;
  readonly condition: Condition;
  readonly bases: readonly BaseScope[];
  readonly unrestricted?: string;
}

/**
 * The decide step (pure): which records of `module` a user may act on (API.md "Record
 * visibility"). Each base module X that `module` reaches contributes the OR of the user's rules
 * on X (the department restriction counts as one on `department`), moved along the path to X;
 * the contributions are AND-ed. Updates and deletes also need the record to be readable.
 * Everything that cannot be decided — a rule that does not parse any more, an ambiguous path —
 * becomes FALSE: fail closed.
 */
export function compileScope(grants: Grants, graph: ModuleGraph, module: Module, action: Action): CompiledScope {
  // Before the admin role: a personal module's records are their creator's alone (own-records.ts).
  if (isOwnRecords(module)) return { module: module.name, action, condition: ownRecordsCondition(), bases: [] };
  if (grants.isAdmin) return { module: module.name, action, condition: TRUE, bases: [], unrestricted: 'the admin role sees every record' };
  const own = scopeFor(grants, graph, module, action);
  if (action === 'read' || action === 'create') return own;
  const read = scopeFor(grants, graph, module, 'read');
  return { ...own, condition: and(read.condition, own.condition), bases: [...read.bases, ...own.bases] };
}

function scopeFor(grants: Grants, graph: ModuleGraph, module: Module, action: Action): CompiledScope {
  const bases: BaseScope[] = [];
  for (const base of reachableBases(graph, module)) {
    const baseModule = graph.modules.get(base);
    if (!baseModule) continue;
    const rules = grants.rules.filter((r) => r.module === base && r.actions.includes(action));
    const department = base === 'department' ? departmentScope(grants) : undefined;
    if (rules.length === 0 && !department) continue;
    const compiled = rules.map((r) => compileRule(r, baseModule, graph, grants));
    const own = or(...(department ? [department.condition] : []), ...compiled.map((c) => c.condition));
    const path = scopePath(graph, module, base);
    // A base that restricts nothing (a seeAll department) needs no path: an ambiguous one cannot
    // narrow it, so it contributes nothing (shown by explain only where its path is known).
    // Only seeAll: a rule that is always true (`{}`) still needs the record reached (rule 5),
    // as an equivalent rule that does not fold to a constant does.
    if (department?.condition.kind === 'const' && department.condition.value) {
      if (path?.ok) bases.push({ base, path: path.refs.join('.'), rules: compiled, ...(department ? { department } : {}), condition: TRUE });
      continue;
    }
    if (!path || !path.ok) {
      const error = path ? path.reason : `${module.name} does not reach ${base}`;
      bases.push({ base, path: '', rules: [], ...(department ? { department } : {}), condition: FALSE, error });
      continue;
    }
    // A record whose path to X is broken (a null reference) fails X's condition (rule 5).
    const reached = path.refs.length === 0 ? TRUE : { kind: 'compare', target: { refs: path.refs, field: 'id' }, op: 'isNull', value: false } as Condition;
    const column = module.scopeColumn;
    const onColumn = department && column && column.path.join('.') === path.refs.join('.');
    bases.push({
      base,
      path: path.refs.join('.'),
      rules: compiled,
      ...(department ? { department } : {}),
      // The department part reads the row's own maintained `_scope` (an index range, no joins);
      // it is NULL exactly where the path is broken. Rules on department still join.
      condition: onColumn
        ? or(onScopeColumn(department.condition, column.column), ...(compiled.length > 0 ? [and(prefix(or(...compiled.map((c) => c.condition)), path.refs), reached)] : []))
        : and(prefix(own, path.refs), reached),
    });
  }
  return { module: module.name, action, condition: and(...bases.map((b) => b.condition)), bases };
}

/** The department condition (comparisons of `code`) moved onto the module's `_scope` column. */
function onScopeColumn(cond: Condition, column: string): Condition {
  switch (cond.kind) {
    case 'compare':
      return cond.target.refs.length === 0 && cond.target.field === 'code' ? { ...cond, target: { refs: [], field: column } } : cond;
    case 'and':
    case 'or':
      return { kind: cond.kind, items: cond.items.map((c) => onScopeColumn(c, column)) };
    case 'not':
      return { kind: 'not', item: onScopeColumn(cond.item, column) };
    default:
      return cond;
  }
}

function compileRule(rule: RuleGrant, base: Module, graph: ModuleGraph, grants: Grants) {
  try {
    // No `?? {}`: a stored filter that is missing or not a JSON object denies; it never widens to "everything".
    const condition = parseFilter(rule.filter, base, graph, readAll, '/filter');
    const missing = missingUserVariables(condition, userVariables(grants));
    if (missing.length > 0) {
      return { id: rule.id, name: rule.name, condition: FALSE, error: `${missing.join(', ')} ha${missing.length === 1 ? 's' : 've'} no value for this user` };
    }
    return { id: rule.id, name: rule.name, condition };
  } catch (e) {
    // A rule that no longer compiles (its field was removed, say) grants nothing.
    const details = (e as { details?: { path: string; message: string }[] }).details ?? [];
    return { id: rule.id, name: rule.name, condition: FALSE, error: details.map((d) => `${d.path}: ${d.message}`).join('; ') || String(e) };
  }
}
