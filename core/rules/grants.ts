import type { Action } from './access.js';
import type { Scalar } from '../query/ast.js';

/** A role's permission on one module (the `permission` system module). */
export interface PermissionGrant {
  readonly module: string;
  readonly actions: readonly Action[];
  /** A permission's filterFields: lists may be filtered only by these fields (first path step); absent = any readable field. */
  readonly filterFields?: readonly string[];
  /** Readable fields; absent or empty = all. */
  readonly readFields?: readonly string[];
  /** Writable fields; absent or empty = all. */
  readonly writeFields?: readonly string[];
}

/** A visibility rule granted to the user directly or through one of their roles. */
export interface RuleGrant {
  readonly id: number;
  readonly name: string;
  /** The base module X whose records the filter restricts. */
  readonly module: string;
  readonly filter: unknown;
  readonly actions: readonly Action[];
}

export interface DepartmentInfo {
  readonly id: number;
  readonly code: string;
  readonly seeAll: boolean;
  readonly seeSameLevel: boolean;
}

/**
 * Everything that decides one user's access, fetched in one step (load-grants.ts) and then used
 * by pure functions only. Keyed by user and generation in caches, never shared across users.
 */
export interface Grants {
  readonly userId: number;
  readonly username: string;
  readonly isAdmin: boolean;
  readonly roleIds: readonly number[];
  /** Role names, for display; absent in grants built by hand (tests). */
  readonly roleNames?: readonly string[];
  readonly department: DepartmentInfo | null;
  readonly extraDepartments: readonly DepartmentInfo[];
  /** Every department code, to tell leaves (`=`) from inner nodes (`LIKE 'c%'`) and find parents. */
  readonly departmentCodes: readonly string[];
  readonly permissions: readonly PermissionGrant[];
  readonly rules: readonly RuleGrant[];
  /**
   * `$user.<name>` values from plugins (core/plugins/variables.ts), fetched per request; null
   * where a variable has none. The built-in names always win.
   */
  readonly variables?: Readonly<Record<string, Scalar | readonly Scalar[] | null>>;
}
