/**
 * Types derived from a module's record type (`Modules[K]` of core/generated/modules.ts): what a
 * create or patch may send, and the field names lists, sorts and aggregates may name.
 */

/** Maintained by the engine and read-only (API.md "Module definitions"). */
export type SystemField = 'id' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy' | 'version';

/** Flattens an intersection so editors show one object type. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** A top-level field name of a record. */
export type FieldName<T> = keyof T & string;

/**
 * A field, or a path through references (`department.code`). Only the first step is checked:
 * the generated record types know a reference as a number, not the module it points to.
 */
export type FieldPath<T> = FieldName<T> | `${FieldName<T>}.${string}`;

/** `name` ascending, `-name` descending. */
export type SortKey<T> = FieldPath<T> | `-${FieldPath<T>}`;

type OptionalKeys<T> = { [K in keyof T]-?: null extends T[K] ? K : undefined extends T[K] ? K : {} extends Pick<T, K> ? K : never }[keyof T];

/**
 * What `POST /api/data/<m>` takes: the record without its system fields; a field the record may
 * hold as null (not required by the definition) may be left out.
 */
export type CreateInput<T> = Simplify<
  { [K in Exclude<keyof T, SystemField | OptionalKeys<T>>]: T[K] } & { [K in Exclude<OptionalKeys<T>, SystemField>]?: T[K] }
>;

/** What `PATCH /api/data/<m>/<id>` takes: any of the create fields. */
export type Patch<T> = Partial<CreateInput<T>>;

/** A reference listed with a path in `fields` (`department.code`) comes back embedded, or null. */
export type Embedded = { id: number; [field: string]: unknown } | null;

type PathHead<F> = F extends `${infer H}.${string}` ? H : never;

/**
 * The record as a list or get returns it for `fields`: all fields when none are named; otherwise
 * `id`, the named fields, and an embedded object for each reference a path goes through.
 */
export type Selected<T, F extends string> = [F] extends [never]
  ? T
  : Simplify<{ [K in keyof T & ('id' | F | PathHead<F>)]: K extends PathHead<F> ? Embedded : T[K] }>;
