import type { Condition } from '../query/ast.js';
import { TRUE } from '../query/ast.js';
import type { FieldAccess } from '../query/field-access.js';
import type { VariableContext } from '../query/variables.js';
import type { Field, Module, Relation } from '../schema/module.js';
import { isOwnRecords, ownRecordsCondition } from './own-records.js';

export const ACTIONS = ['read', 'create', 'update', 'delete'] as const;
export type Action = (typeof ACTIONS)[number];

export interface Actor {
  readonly id: number;
  readonly username: string;
  readonly name: string | null;
  readonly isAdmin: boolean;
  /** Role names, for display (`GET /api/auth/me`). */
  readonly roles?: readonly string[];
}

/**
 * What one caller may do, decided once per request from data already fetched: the pure half of
 * "fetch, then decide, then inject". The records service asks it and nothing else.
 */
export interface Access extends FieldAccess {
  readonly actor: Actor;
  readonly variables: VariableContext;
  /** Throws 403 naming the missing permission when the action is not granted on the module at all. */
  require(module: Module, action: Action): void;
  /** The records of `module` the caller may act on, as a condition (variables unresolved). */
  scope(module: Module, action: Action): Condition;
  canWrite(module: Module, field: Field): boolean;
  /** Whether a many-to-many relation (`user.roles`) may be written, like a field; absent = yes. */
  canWriteRelation?(module: Module, relation: Relation): boolean;
  /** A permission's filterFields: the only fields a list of `module` may be filtered, searched, sorted or grouped by; undefined = any readable. */
  filterable?(module: Module): ReadonlySet<string> | undefined;
}

/** The built-in admin: every action, every record but others' personal ones (saved views), every field but write-only ones. */
export function adminAccess(actor: Actor, now = new Date()): Access {
  return {
    actor,
    variables: { now, user: { id: actor.id, username: actor.username } },
    require: () => undefined,
    scope: (module) => (isOwnRecords(module) ? ownRecordsCondition() : TRUE),
    canRead: (_m, f) => !f.writeOnly && !f.internal,
    canWrite: (_m, f) => !f.system && !f.readOnly,
  };
}


/** The actions `access` grants on `module` at all: those `require` lets through (the 403 check of every data route). */
export function grantedActions(access: Access, module: Module): Action[] {
  return ACTIONS.filter((action) => {
    try {
      access.require(module, action);
      return true;
    } catch {
      return false;
    }
  });
}
