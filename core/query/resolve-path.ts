import type { ErrorDetail } from '../errors.js';
import type { Field, Module, ModuleGraph, Relation } from '../schema/module.js';
import type { FieldRef } from './ast.js';
import type { FieldAccess } from './field-access.js';

const NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
export const MAX_PATH_STEPS = 8;

export type ResolvedPath =
  | { kind: 'field'; ref: FieldRef; field: Field; module: Module }
  | { kind: 'relation'; refs: string[]; relation: Relation; module: Module };

/**
 * Resolves `customer.salesman.name` from `module`: every step but the last must be a readable
 * many-to-one reference; the last a readable field (or, where allowed, a to-many relation).
 * Returns a detail for the caller's error list instead of throwing.
 */
export function resolvePath(
  text: string,
  module: Module,
  graph: ModuleGraph,
  access: FieldAccess,
  pointer: string,
  allowRelation = false,
): ResolvedPath | ErrorDetail {
  const segments = text.split('.');
  if (segments.length > MAX_PATH_STEPS) return { path: pointer, message: `a path may have at most ${MAX_PATH_STEPS} steps` };
  const refs: string[] = [];
  let current = module;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    const last = i === segments.length - 1;
    if (!NAME.test(name)) return { path: pointer, message: `"${name}" is not a field name` };
    const relation = current.relations.get(name);
    // A relation left out of the caller's readable fields resolves like an unknown field (access control).
    if (relation && last && allowRelation && (access.canReadRelation?.(current, relation) ?? true)) return { kind: 'relation', refs, relation, module: current };
    const field = current.fields.get(name);
    if (!field || !access.canRead(current, field)) {
      return { path: pointer, message: `${current.name} has no readable field "${name}"` };
    }
    if (last) return { kind: 'field', ref: { refs, field: name }, field, module: current };
    if (field.kind !== 'ref') return { path: pointer, message: `"${name}" is not a reference, so the path cannot continue past it` };
    refs.push(name);
    current = graph.modules.get(field.ref!)!;
  }
  return { path: pointer, message: 'empty path' };
}

export const isDetail = (r: ResolvedPath | ErrorDetail): r is ErrorDetail => 'message' in r;
