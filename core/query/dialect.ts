import type { DateBucket } from './ast.js';

/**
 * What differs between the SQL dialects: identifier quoting and date functions. Everything else
 * the compiler emits is common SQL; placeholders are `$n` for both (sequelize binds them
 * natively: named parameters on SQLite, `?` with a prepared statement on MySQL).
 */
export interface Dialect {
  readonly name: 'sqlite' | 'mysql';
  quote(identifier: string): string;
  /** The bucket of a date or date-time column as text: `2025`, `2025-Q3`, `2025-07`, `2025-07-14` (the week's Monday). */
  bucket(bucket: DateBucket, column: string): string;
  /**
   * A text expression that is no longer a bare column (`CASE WHEN … THEN col END`) with the
   * collation text columns have (core/db/column-types.ts), so that it groups and sorts as the
   * column does. SQLite gives such an expression BINARY, not the column's NOCASE; MySQL keeps it.
   */
  textCollation(expression: string): string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function checked(identifier: string): string {
  // Identifiers come from validated metadata; this is a second lock on the same door.
  if (!IDENTIFIER.test(identifier)) throw new Error(`Refusing unsafe identifier ${JSON.stringify(identifier)}`);
  return identifier;
}

export const sqlite: Dialect = {
  name: 'sqlite',
  quote: (id) => `"${checked(id)}"`,
  textCollation: (expression) => `${expression} COLLATE NOCASE`,
  bucket(bucket, c) {
    switch (bucket) {
      case 'day':
        return `strftime('%Y-%m-%d', ${c})`;
      case 'week':
        return `date(${c}, 'weekday 0', '-6 days')`;
      case 'month':
        return `strftime('%Y-%m', ${c})`;
      case 'quarter':
        return `(strftime('%Y', ${c}) || '-Q' || ((CAST(strftime('%m', ${c}) AS INTEGER) + 2) / 3))`;
      case 'year':
        return `CAST(strftime('%Y', ${c}) AS INTEGER)`;
    }
  },
};

export const mysql: Dialect = {
  name: 'mysql',
  quote: (id) => `\`${checked(id)}\``,
  textCollation: (expression) => expression,
  bucket(bucket, c) {
    switch (bucket) {
      case 'day':
        return `DATE_FORMAT(${c}, '%Y-%m-%d')`;
      case 'week':
        return `DATE_FORMAT(DATE_SUB(${c}, INTERVAL WEEKDAY(${c}) DAY), '%Y-%m-%d')`;
      case 'month':
        return `DATE_FORMAT(${c}, '%Y-%m')`;
      case 'quarter':
        return `CONCAT(YEAR(${c}), '-Q', QUARTER(${c}))`;
      case 'year':
        // An integer (turned into text with the other buckets' keys): over a million rows grouping
        // by YEAR() is cheaper than formatting a string per row.
        return `YEAR(${c})`;
    }
  },
};

export const dialectFor = (name: string): Dialect => (name === 'sqlite' ? sqlite : mysql);
