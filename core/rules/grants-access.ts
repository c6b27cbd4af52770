import type { Condition } from '../query/ast.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import { forbidden } from '../errors.js';
import type { Access, Action, Actor } from './access.js';
import { compileScope, type CompiledScope } from './compile-scope.js';
import type { Grants, PermissionGrant } from './grants.js';
import { userVariables } from './user-variables.js';
import { isOwnRecords } from './own-records.js';

export interface ScopeCache {
  get(key: string): CompiledScope | undefined;
  set(key: string, value: CompiledScope): void;
}

/**
 * A caller's Access, decided from their grants without further I/O: action permissions (deny by
 * default, 403 naming what is missing), field-level read and write, a permission's filter-field limits, and
 * record scopes compiled once per user, module, action and generation.
 */
export function grantsAccess(grants: Grants, actor: Actor, graph: ModuleGraph, cache: ScopeCache, now = new Date()): Access & {
  explain(module: Module, action: Action): CompiledScope;
} {
  const permissionsOn = (module: Module) => grants.permissions.filter((p) => p.module === module.name);
  // A personal module needs no permission: its scope (compileScope) already limits it to the caller's own records.
  const allows = (module: Module, action: Action) => grants.isAdmin || isOwnRecords(module) || permissionsOn(module).some((p) => p.actions.includes(action));
  const explain = (module: Module, action: Action) => {
    // Plugin variables change without the generation moving: their values are part of the key.
    const key = `${grants.userId}:${graph.generation}:${module.name}:${action}${grants.variables ? `:${JSON.stringify(grants.variables)}` : ''}`;
    let compiled = cache.get(key);
    if (!compiled) {
      compiled = compileScope(grants, graph, module, action);
      cache.set(key, compiled);
    }
    return compiled;
  };
  return {
    actor,
    variables: {
      now,
      user: userVariables(grants),
    },
    require(module, action) {
      if (!allows(module, action)) {
        throw forbidden(`${module.name}:${action}`, `Missing permission: ${module.name}:${action}. Ask an admin to grant "${action}" on "${module.name}" to one of your roles.`);
      }
    },
    scope: (module, action): Condition => explain(module, action).condition,
    canRead(module, field) {
      if (field.writeOnly || field.internal) return false;
      if (grants.isAdmin || isOwnRecords(module)) return true;
      if (!allows(module, 'read')) return false;
      return field.system || fieldAllowed(permissionsOn(module).filter((p) => p.actions.includes('read')), 'readFields', field.name);
    },
    canReadRelation(module, relation) {
      if (grants.isAdmin) return true;
      if (!allows(module, 'read')) return false;
      return fieldAllowed(permissionsOn(module).filter((p) => p.actions.includes('read')), 'readFields', relation.name);
    },
    canWrite(module, field) {
      if (field.system || field.readOnly) return false;
      if (grants.isAdmin || isOwnRecords(module)) return true;
      const writers = permissionsOn(module).filter((p) => p.actions.includes('create') || p.actions.includes('update'));
      return fieldAllowed(writers, 'writeFields', field.name);
    },
    canWriteRelation(module, relation) {
      if (grants.isAdmin) return true;
      const writers = permissionsOn(module).filter((p) => p.actions.includes('create') || p.actions.includes('update'));
      return fieldAllowed(writers, 'writeFields', relation.name);
    },
    filterable(module) {
      if (grants.isAdmin || isOwnRecords(module)) return undefined;
      const readers = permissionsOn(module).filter((p) => p.actions.includes('read'));
      if (readers.length === 0 || readers.some((p) => !p.filterFields)) return undefined;
      return new Set(readers.flatMap((p) => p.filterFields ?? []));
    },
    explain,
  };
}

/** Union over the user's permissions: one without a field list allows every field. */
function fieldAllowed(perms: readonly PermissionGrant[], key: 'readFields' | 'writeFields', name: string): boolean {
  if (perms.length === 0) return false;
  return perms.some((p) => !p[key] || p[key]!.includes(name));
}
