import type { Condition } from '../query/ast.js';
import { and, compare, FALSE, not, or, prefix, TRUE } from '../query/ast.js';
import { resolveVariables } from '../query/variables.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import type { Access, Action } from '../rules/access.js';

/**
 * THE enforcement point: the condition every statement on `module` carries. It is the caller's
 * scope for the action AND the caller's own condition, in which every predicate that reaches a
 * related record (through a reference path or a to-many relation) sees only related records the
 * caller may read, as if the others were absent. Variables are resolved here, last.
 */
export function visibleWhere(
  module: Module,
  action: Action,
  own: Condition,
  access: Access,
  graph: ModuleGraph,
  lifecycle: Lifecycle = 'live',
): Condition {
  const scoped = and(access.scope(module, action), inLifecycle(module, lifecycle), guardRelated(own, module, access, graph));
  return resolveVariables(scoped, module.name, graph, access.variables);
}

/**
 * Which records of a module with `x-soft-delete` a statement may reach: the live ones (every
 * read and write, the default), the soft-deleted ones (the trash list, restore, purge), or both
 * (a record's history). A module without soft delete has only live records.
 */
export type Lifecycle = 'live' | 'deleted' | 'any';

/** `deletedAt IS NULL` for the live records of a soft-delete module. */
export function inLifecycle(module: Module, lifecycle: Lifecycle): Condition {
  if (lifecycle === 'any') return TRUE;
  if (!module.softDelete) return lifecycle === 'live' ? TRUE : FALSE;
  return compare('deletedAt', 'isNull', lifecycle === 'live');
}

/** The related records of `module` that a predicate or an embedded record may see: readable and not deleted. */
function readable(module: Module, access: Access): Condition {
  return and(access.scope(module, 'read'), inLifecycle(module, 'live'));
}

/** Only readable related records take part in a predicate; see visibleWhere. */
export function guardRelated(cond: Condition, module: Module, access: Access, graph: ModuleGraph): Condition {
  switch (cond.kind) {
    case 'const':
      return cond;
    case 'and':
      return and(...cond.items.map((c) => guardRelated(c, module, access, graph)));
    case 'or':
      return { kind: 'or', items: cond.items.map((c) => guardRelated(c, module, access, graph)) };
    case 'not':
      return { kind: 'not', item: guardRelated(cond.item, module, access, graph) };
    case 'compare':
      return cond.target.refs.length === 0 ? cond : and(cond, pathVisible(cond.target.refs, module, access, graph));
    case 'relation': {
      const owner = moduleAt(module, cond.refs, graph);
      const target = graph.modules.get(owner.relations.get(cond.relation)!.target)!;
      const seen = readable(target, access);
      const inner = guardRelated(cond.where, target, access, graph);
      // some/none: a visible record passes (or none does). every: no visible record fails, so an
      // invisible one must count as passing; as "visible AND passes" it would fail and reveal it.
      const where = cond.quantifier === 'every' ? or(not(seen), inner) : and(seen, inner);
      return and({ ...cond, where }, pathVisible(cond.refs, module, access, graph));
    }
  }
}

/**
 * Every record on the way along `refs` is readable by the caller. A record that is not there (a
 * null reference) hides nothing, so it passes: otherwise whether `owner.id isNull` matches a
 * customer without owner would depend on whether the caller's scope of the owner's module happens
 * to accept an all-NULL row (test/rules/oracle-property.test.ts found it through an x-scope: false
 * reference).
 */
export function pathVisible(refs: readonly string[], module: Module, access: Access, graph: ModuleGraph): Condition {
  const parts: Condition[] = [];
  let current = module;
  for (let i = 0; i < refs.length; i++) {
    current = graph.modules.get(current.fields.get(refs[i]!)!.ref!)!;
    const scope = readable(current, access);
    if (scope.kind === 'const' && scope.value) continue;
    const absent = compare({ refs: refs.slice(0, i + 1), field: 'id' }, 'isNull', true);
    parts.push(or(absent, prefix(scope, refs.slice(0, i + 1))));
  }
  return and(...parts);
}

export function moduleAt(module: Module, refs: readonly string[], graph: ModuleGraph): Module {
  let current = module;
  for (const r of refs) current = graph.modules.get(current.fields.get(r)!.ref!)!;
  return current;
}
