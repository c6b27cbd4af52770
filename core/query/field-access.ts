import type { Field, Module } from '../schema/module.js';

/**
 * Which fields a caller may read (and so filter, sort, search, group and aggregate on).
 * The access-control layer supplies one per request; nothing else decides it.
 */
export interface FieldAccess {
  canRead(module: Module, field: Field): boolean;
}

/** Everything except write-only fields (passwords): what an admin may read. */
export const readAll: FieldAccess = { canRead: (_m, f) => !f.writeOnly };
