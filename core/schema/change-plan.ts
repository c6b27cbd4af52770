/**
 * The shape of a definition change: what `PUT` / `DELETE /api/modules/<m>?dryRun=true` answer,
 * what the designer previews and what `migrations/` files hold. The planner
 * (core/schema/plan-change.ts) fills in the steps from the two definitions; the database side
 * (core/migrate/) counts their rows and misfits and applies them.
 */
import type { ErrorDetail } from '../errors.js';
import type { MisfitCode } from '../error-codes.js';
import type { JsonSchema } from './module.js';

export type StepKind =
  | 'rename-module'
  | 'rename-field'
  | 'add-field'
  | 'widen'
  | 'convert'
  | 'narrow'
  | 'tighten'
  | 'drop-index'
  | 'drop-unique'
  | 'add-index'
  | 'add-unique'
  | 'add-relation'
  | 'rename-relation'
  | 'drop-relation'
  | 'drop-field'
  | 'drop-module'
  | 'describe';

/** What a value that does not fit becomes: refused (the default), emptied, or the field's default. */
export type OnMisfit = 'refuse' | 'null' | 'default';

/** The request's `"x-migration"`: what a diff of two definitions cannot tell. Never stored. */
export interface MigrationInput {
  /** Old field name → new field name (relations too). */
  readonly renames?: Readonly<Record<string, string>>;
  /** The module's new name. */
  readonly moduleRename?: string;
  /** Per field (new name): stored value → new value, for renamed or removed choices (or any converted value). */
  readonly valueMap?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Per field (new name): what to do with values that do not fit. */
  readonly onMisfit?: Readonly<Record<string, OnMisfit>>;
}

/** Something outside the table that a step changes or that changes with it. */
export interface Affect {
  readonly kind:
    | 'rule'
    | 'permission'
    | 'saved_view'
    | 'list'
    | 'scope_path'
    | 'reference'
    | 'search_index'
    | 'counts'
    | 'history'
    | 'files'
    | 'plugin';
  /** The affected record (rule, permission, saved view) or module. */
  readonly module?: string;
  readonly id?: number;
  readonly field?: string;
  /** In words, for the preview. */
  readonly message: string;
}

/** A stored value that would not fit, as the dry run shows it. */
export interface Misfit {
  readonly id: number;
  readonly value: unknown;
  /** In words (English). */
  readonly reason: string;
  /**
   * The reason as a code, for wording it in other languages (core/error-codes.ts MISFIT_CODES:
   * no_record {module, id}, decimals {scale}, digits {digits}, duplicate {count}, no_default
   * {field}; invalid when only `reason` says more).
   */
  readonly code: MisfitCode;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** How much of the table a step holds on MariaDB while it runs. */
export type TableLock = 'none' | 'metadata' | 'writes';

export interface PlanStep {
  readonly kind: StepKind;
  /** The field the step is about, by its name after the plan (for index and unique sets: `fields`). */
  readonly field?: string;
  readonly fields?: readonly string[];
  /** Renames: the old and new names (of the field, relation or module). */
  readonly from?: string;
  readonly to?: string;
  /** Conversions and widenings: the property before and after, as written in the definitions. */
  readonly before?: JsonSchema;
  readonly after?: JsonSchema;
  /** Tightenings: which keyword. */
  readonly keyword?: string;
  /** Whether every stored value survives unchanged in meaning. */
  readonly keepsData: boolean;
  /** Rows the step reads or rewrites (counted by the dry run). */
  readonly rows: number;
  /** Rows whose value does not fit the new definition. */
  readonly misfits: number;
  /** Up to 20 of them. */
  readonly examples: readonly Misfit[];
  readonly onMisfit?: OnMisfit;
  readonly affects: readonly Affect[];
  readonly locks: TableLock;
  /** In words (English), for API callers; the UI words it from `kind` and the fields. */
  readonly message: string;
}

export interface Plan {
  /** The module as stored (its name before a rename). */
  readonly module: string;
  /** A hash of the stored definition the plan was made against. */
  readonly base: string;
  readonly steps: readonly PlanStep[];
  /** Give it back as `?confirm=` to apply a plan that loses data. */
  readonly token: string;
  /** True when applying would succeed now (no misfits left refused, nothing blocking). */
  readonly applicable: boolean;
  /** Whether applying needs `?confirm=<token>`: some step loses data. */
  readonly needsConfirmation: boolean;
  /** Why it cannot be applied, each with the definition's pointer and what to do. */
  readonly blockers: readonly ErrorDetail[];
}
