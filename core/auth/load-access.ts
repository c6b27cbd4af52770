import type { Database } from '../db/database.js';
import type { ModuleGraph } from '../schema/module.js';
import { adminAccess, denyAccess, type Access, type Actor } from '../data/access.js';

/**
 * Fetches what decides a caller's access. Until roles, permissions and rules are in (issue 3),
 * the admin role may do everything and everyone else nothing: deny by default.
 */
export async function loadAccess(_db: Database, _graph: ModuleGraph, actor: Actor): Promise<Access> {
  return actor.isAdmin ? adminAccess(actor) : denyAccess(actor);
}
