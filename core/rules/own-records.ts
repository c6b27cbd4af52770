/**
 * Personal modules: records that belong to the user who created them and to nobody else, such
 * as saved list views. The engine decides this, not data: no permission is needed to use them,
 * no rule can widen them, and the admin role does not see into them either (a view is a
 * preference, not business data). Ownership is `createdBy`, which the server sets on create and
 * nobody can write, so a caller cannot create a record for someone else or move it to them.
 */
import { compare, type Condition } from '../query/ast.js';
import type { Module } from '../schema/module.js';

/** The built-in modules whose records are private to their creator. */
export const OWN_RECORDS_MODULES: ReadonlySet<string> = new Set(['saved_view']);

export const isOwnRecords = (module: Module): boolean => module.builtin && OWN_RECORDS_MODULES.has(module.name);

/**
 * The scope of a personal module for every action and every caller, admins included:
 * `WHERE createdBy = $1` with the caller's id.
 */
export const ownRecordsCondition = (): Condition => compare('createdBy', 'eq', { var: '$user.id' });
