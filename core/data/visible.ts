import type { Condition } from '../query/ast.js';
import { and, prefix } from '../query/ast.js';
import { resolveVariables } from '../query/variables.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import type { Access, Action } from './access.js';

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
): Condition {
  const scoped = and(access.scope(module, action), guardRelated(own, module, access, graph));
  return resolveVariables(scoped, module.name, graph, access.variables);
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
      const where = and(access.scope(target, 'read'), guardRelated(cond.where, target, access, graph));
      return and({ ...cond, where }, pathVisible(cond.refs, module, access, graph));
    }
  }
}

/** Every record on the way along `refs` is readable by the caller. */
export function pathVisible(refs: readonly string[], module: Module, access: Access, graph: ModuleGraph): Condition {
  const parts: Condition[] = [];
  let current = module;
  for (let i = 0; i < refs.length; i++) {
    current = graph.modules.get(current.fields.get(refs[i]!)!.ref!)!;
    parts.push(prefix(access.scope(current, 'read'), refs.slice(0, i + 1)));
  }
  return and(...parts);
}

export function moduleAt(module: Module, refs: readonly string[], graph: ModuleGraph): Module {
  let current = module;
  for (const r of refs) current = graph.modules.get(current.fields.get(r)!.ref!)!;
  return current;
}
