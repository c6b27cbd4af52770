import type { Database } from '../db/database.js';
import type { ModuleGraph } from '../schema/module.js';
import type { Access, Action, Actor } from '../rules/access.js';
import type { Module } from '../schema/module.js';
import { loadGrants } from './load-grants.js';
import { grantsAccess } from '../rules/grants-access.js';
import type { CompiledScope } from '../rules/compile-scope.js';
import type { Grants } from '../rules/grants.js';
import { Lru } from '../rules/lru.js';

/** Fetches the `$user` variables that plugins contribute for one user (core/plugins/variables.ts), per request. */
export type VariableSource = (grants: Grants) => Promise<Grants['variables'] | undefined>;

export type ExplainableAccess = Access & { explain(module: Module, action: Action): CompiledScope };

// Keyed by user and generation: a change to any rule, grant, user or department moves the
// generation in the database, and every process stops using its old entries at once.
const caches = new WeakMap<Database, { grants: Lru<Grants>; scopes: Lru<CompiledScope> }>();

function cachesOf(db: Database) {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = { grants: new Lru(2_000), scopes: new Lru(20_000) }));
  return c;
}

/**
 * Fetches (or reuses, at the same generation) what decides the caller's access, then decides.
 * The caller's roles, and so whether they are an admin, come from the same cached grants.
 */
export async function loadAccess(
  db: Database, graph: ModuleGraph, who: Pick<Actor, 'id' | 'username' | 'name'>, variables?: VariableSource,
): Promise<ExplainableAccess> {
  const cache = cachesOf(db);
  const key = `${who.id}:${graph.generation}`;
  let grants = cache.grants.get(key);
  if (!grants) {
    grants = (await loadGrants(db, who.id)) ?? noGrants(who);
    cache.grants.set(key, grants);
  }
  const values = variables ? await variables(grants) : undefined;
  if (values) grants = { ...grants, variables: values };
  const actor: Actor = { id: who.id, username: who.username, name: who.name, isAdmin: grants.isAdmin, roles: grants.roleNames ?? [] };
  return grantsAccess(grants, actor, graph, cache.scopes);
}

function noGrants(who: Pick<Actor, 'id' | 'username'>): Grants {
  return { userId: who.id, username: who.username, isAdmin: false, roleIds: [], roleNames: [], department: null, extraDepartments: [], departmentCodes: [], permissions: [], rules: [] };
}
