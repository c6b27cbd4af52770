/**
 * The filter language of API.md "Records", typed for one record type: a misspelled field, an
 * unknown operator or a value of the wrong type fails to compile. Paths through references
 * (`"department.code"`) are checked on their first step only; the server checks the rest.
 */
import type { FieldName } from './record-types.js';

/** `$user.id`, `$user.department`, `$now`, `$today`, `$now-30d`: resolved by the server. */
export type Variable = `$${string}`;

/** A value a field of type V may be compared with. */
export type Operand<V> = V extends number ? number | Variable : V extends boolean ? boolean | Variable : V extends string ? V | Variable : never;

export interface CompareOps<V> {
  eq?: Operand<V> | null;
  ne?: Operand<V> | null;
  gt?: Operand<V>;
  gte?: Operand<V>;
  lt?: Operand<V>;
  lte?: Operand<V>;
  in?: readonly Operand<V>[];
  nin?: readonly Operand<V>[];
  between?: readonly [Operand<V>, Operand<V>];
  isNull?: boolean;
}

export interface TextOps {
  contains?: string;
  startsWith?: string;
  endsWith?: string;
}

/** `some`, `none`, `every` over the records of a to-many relation. */
export interface RelationOps<F> {
  some?: F;
  none?: F;
  every?: F;
}

/** A filter on records whose type is not known here (the target of a many-to-many). */
export type AnyFilter = { [path: string]: unknown };

/** `{"status": "open"}`, `{"status": ["open", "paid"]}` (in) or `{"amount": {"gt": 100}}`. */
export type ScalarCondition<V> = Operand<V> | null | readonly Operand<V>[] | (CompareOps<V> & ([V] extends [string] ? TextOps : {}));

/**
 * The condition on one field of type V: operators for scalars; some/none/every for to-many
 * relations (an embedded list of records, or many-to-many ids); only isNull for JSON values.
 */
export type FieldCondition<V> = 0 extends 1 & V
  ? unknown // an untyped record (`Record<string, any>`): the server checks
  : unknown extends V
  ? { isNull?: boolean }
  : [NonNullable<V>] extends [readonly (infer E)[]]
    ? [E] extends [number]
      ? RelationOps<AnyFilter>
      : [E] extends [object]
        ? RelationOps<Filter<E>>
        : { isNull?: boolean }
    : [NonNullable<V>] extends [string | number | boolean]
      ? ScalarCondition<NonNullable<V>>
      : { isNull?: boolean };

/** A filter on records of type T; the keys of one object are AND-ed. */
export type Filter<T> = { [K in FieldName<T>]?: FieldCondition<T[K]> } & {
  [P in `${FieldName<T>}.${string}`]?: unknown;
} & {
  and?: readonly Filter<T>[];
  or?: readonly Filter<T>[];
  not?: Filter<T>;
};
