import type { Field, Module, Relation } from '../schema/module.js';

/**
 * Which fields a caller may read (and so filter, sort, search, group and aggregate on).
 * The access-control layer supplies one per request; nothing else decides it.
 */
export interface FieldAccess {
  canRead(module: Module, field: Field): boolean;
  /**
   * Whether a to-many relation of `module` (`user.roles`) may be read, listed or filtered on, like
   * a field: a permission's `readFields` may leave it out. Absent = as readable as the module.
   */
  canReadRelation?(module: Module, relation: Relation): boolean;
}

/** Everything except write-only fields (passwords): what an admin may read. */
export const readAll: FieldAccess = { canRead: (_m, f) => !f.writeOnly && !f.internal };
