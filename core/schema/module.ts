/**
 * The module graph: what the engine knows about each module once its JSON Schema definition
 * has been checked. Everything downstream (tables, queries, validation, rules) reads these
 * shapes, never the raw definition, so that identifiers reach SQL only from validated metadata.
 */

export type JsonSchema = Record<string, unknown>;

/** How a stored field is typed, independent of the SQL dialect. */
export type FieldKind =
  | 'string' // VARCHAR(maxLength)
  | 'text' // string without maxLength
  | 'password' // write-only, hashed before it is stored
  | 'integer'
  | 'number' // DECIMAL(precision, scale)
  | 'boolean'
  | 'date' // YYYY-MM-DD
  | 'datetime' // ISO 8601, stored in UTC
  | 'enum'
  | 'json'
  | 'file' // `"x-type": "file"`: a handle { id, name, type, size } to bytes in _stratum_files (core/files)
  | 'ref'; // many-to-one: an integer foreign key

export type OnDelete = 'restrict' | 'cascade' | 'set-null';

export interface Field {
  readonly name: string;
  /** The column that stores it: the same validated name. */
  readonly column: string;
  readonly kind: FieldKind;
  /** The property's own schema, as written in the definition. */
  readonly schema: JsonSchema;
  readonly required: boolean;
  /** Engine-maintained: id, createdAt, updatedAt, createdBy, updatedBy, version. */
  readonly system: boolean;
  /** Engine-internal (the `_scope` column): never read, written, filtered or returned through the API. */
  readonly internal?: boolean;
  readonly readOnly: boolean;
  readonly writeOnly: boolean;
  readonly unique: boolean;
  readonly index: boolean;
  readonly maxLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly enum?: readonly string[];
  readonly default?: unknown;
  /** For kind 'ref': the referenced module. */
  readonly ref?: string;
  readonly onDelete?: OnDelete;
  /** For kind 'ref': whether visibility restrictions flow through it (`x-scope`, default true). */
  readonly scope?: boolean;
  /** A plugin's field type (`"x-type": "phone"`; core/schema/field-types.ts): its extra check applies. */
  readonly fieldType?: string;
}

/** A relation that is not a column of this module's table. */
export interface Relation {
  readonly name: string;
  readonly kind: 'one-to-many' | 'many-to-many';
  readonly target: string;
  /** one-to-many: the ref field of `target` that points back at this module. */
  readonly via?: string;
  /** many-to-many: the junction table and its two columns. */
  readonly junction?: { readonly table: string; readonly source: string; readonly target: string };
}

export interface ListSettings {
  readonly columns: readonly string[];
  readonly search: readonly string[];
  readonly filters: readonly string[];
  readonly sort: string;
}

export interface Module {
  readonly name: string;
  readonly table: string;
  readonly title: string;
  readonly definition: JsonSchema;
  /** Stored fields, system ones included, in table order. */
  readonly fields: ReadonlyMap<string, Field>;
  readonly relations: ReadonlyMap<string, Relation>;
  /** Unique column sets, single ones included. */
  readonly uniques: readonly (readonly string[])[];
  readonly indexes: readonly (readonly string[])[];
  readonly list: ListSettings;
  /** `x-scope-paths`: base module → the ref path that carries its restriction. */
  readonly scopePaths: Readonly<Record<string, string>>;
  /** Built-in modules (user, role, …) that the engine itself relies on. */
  readonly builtin: boolean;
  /**
   * The maintained `_scope` column: the code of the department each row reaches along `path`
   * (its scope path to `department`), NULL where the path is broken. Department visibility then
   * compares this indexed column instead of joining along the path.
   */
  readonly scopeColumn?: { readonly column: string; readonly path: readonly string[] };
  /**
   * `x-soft-delete`: DELETE sets the system fields `deletedAt`/`deletedBy` instead of removing
   * the row, and every read path hides such rows (core/data/visible.ts); they can be restored.
   */
  readonly softDelete?: boolean;
}

export interface ModuleGraph {
  readonly modules: ReadonlyMap<string, Module>;
  /** A counter that changes whenever definitions, rules or grants change (see core/db/generation). */
  readonly generation: number;
}

export const SYSTEM_FIELDS = ['id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version'] as const;

/** The system fields a module with `x-soft-delete` has besides SYSTEM_FIELDS: when and by whom it was deleted. */
export const SOFT_DELETE_FIELDS = ['deletedAt', 'deletedBy'] as const;

/** The maintained department-code column; its name cannot clash with a property (those start with a letter). */
export const SCOPE_COLUMN = '_scope';

/** The VARCHAR width of an enum column: its longest value, at least 32 (core/db/column-types). */
export const enumColumnWidth = (values: readonly string[]): number => Math.max(32, ...values.map((v) => v.length));
