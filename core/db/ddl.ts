import { createHash } from 'node:crypto';
import type { ModelAttributeColumnOptions, QueryInterface, Transaction } from 'sequelize';
import type { Field, Module, ModuleGraph } from '../schema/module.js';
import { columnFor } from './column-types.js';
import type { Database } from './database.js';

/**
 * Creates or extends the tables of modules: one table per module with the system columns,
 * a foreign key and an index per reference, unique and plain indexes, and a junction table
 * per many-to-many relation. Only additive: it never drops or retypes a column.
 */
/** Returns the modules of `names` whose existing table just gained its `_scope` column (to be filled). */
export async function syncTables(db: Database, graph: ModuleGraph, names: readonly string[], tx?: Transaction): Promise<string[]> {
  const scopeAdded: string[] = [];
  // Inside a plan's transaction on SQLite (core/migrate): every statement joins it.
  const qi = tx ? withTransaction(db.sequelize.getQueryInterface(), tx) : db.sequelize.getQueryInterface();
  const existing = new Set((await qi.showAllTables()).map((t) => (typeof t === 'string' ? t : (t as { tableName: string }).tableName)));
  const modules = names.map((n) => graph.modules.get(n)!);
  const mysql = db.dialect.name === 'mysql';
  // MySQL checks that a referenced table exists, so foreign keys are added once all tables do;
  // SQLite cannot add them later, and accepts a reference to a table it has not seen yet.
  // A unique index that existing rows break is the change that fails on data. Trying it first
  // means a refused change leaves nothing behind (no added column of a type the restored
  // definition does not know, which a later definition of that field would silently reuse).
  for (const module of modules) {
    if (!existing.has(module.table)) continue;
    const present = await qi.describeTable(module.table);
    for (const set of module.uniques) if (set.every((c) => c in present)) await ensureIndex(qi, module.table, set, true);
  }
  for (const module of modules) {
    if (existing.has(module.table)) {
      const added = await addMissingColumns(qi, module, db.dialect.name);
      if (module.scopeColumn && added.includes(module.scopeColumn.column)) scopeAdded.push(module.name);
    }
    else await qi.createTable(module.table, columns(module, db.dialect.name), tableOptions);
  }
  for (const module of modules) {
    for (const rel of module.relations.values()) {
      if (rel.kind !== 'many-to-many' || existing.has(rel.junction!.table)) continue;
      const target = graph.modules.get(rel.target)!;
      await qi.createTable(
        rel.junction!.table,
        {
          [rel.junction!.source]: { type: 'INTEGER', allowNull: false, primaryKey: true, ...(mysql ? {} : fk(module.table, 'cascade')) },
          [rel.junction!.target]: { type: 'INTEGER', allowNull: false, primaryKey: true, ...(mysql ? {} : fk(target.table, 'cascade')) },
        } as Record<string, ModelAttributeColumnOptions>,
        tableOptions,
      );
      await ensureIndex(qi, rel.junction!.table, [rel.junction!.target], false);
      if (mysql) {
        await ensureForeignKey(qi, rel.junction!.table, rel.junction!.source, module.table, 'cascade');
        await ensureForeignKey(qi, rel.junction!.table, rel.junction!.target, target.table, 'cascade');
      }
    }
  }
  for (const module of modules) {
    for (const field of module.fields.values()) {
      if (field.kind === 'ref' && mysql) await ensureForeignKey(qi, module.table, field.column, graph.modules.get(field.ref!)!.table, field.onDelete!);
      if (field.index && !field.unique) await ensureIndex(qi, module.table, [field.column], false);
    }
    for (const set of module.uniques) await ensureIndex(qi, module.table, set, true);
    for (const set of module.indexes) await ensureIndex(qi, module.table, set, false);
  }
  return scopeAdded;
}

const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_unicode_ci', engine: 'InnoDB' };

type DialectName = 'sqlite' | 'mysql';

function columns(module: Module, dialect: DialectName): Record<string, ModelAttributeColumnOptions> {
  const out: Record<string, ModelAttributeColumnOptions> = {};
  for (const field of module.fields.values()) out[field.column] = column(field, dialect);
  return out;
}

/** The column of `field` as created, with its foreign key inline on SQLite. */
export function column(field: Field, dialect: DialectName): ModelAttributeColumnOptions {
  const base = columnFor(field, dialect);
  // SQLite takes foreign keys only inline (MySQL gets them as constraints, see syncTables).
  return field.kind === 'ref' && dialect === 'sqlite' ? { ...base, ...fk(field.ref!, field.onDelete!) } : base;
}

function fk(table: string, onDelete: string) {
  return {
    references: { model: table, key: 'id' },
    onDelete: onDelete === 'cascade' ? 'CASCADE' : onDelete === 'set-null' ? 'SET NULL' : 'RESTRICT',
    onUpdate: 'CASCADE',
  };
}

async function addMissingColumns(qi: QueryInterface, module: Module, dialect: DialectName): Promise<string[]> {
  const present = await qi.describeTable(module.table);
  const added: string[] = [];
  for (const field of module.fields.values()) {
    if (field.column in present) continue;
    // A column added to a table with rows may not be NOT NULL without a default.
    const col = column(field, dialect);
    if (col.defaultValue === undefined) col.allowNull = true;
    await qi.addColumn(module.table, field.column, col);
    added.push(field.column);
  }
  return added;
}

/** Index names fit MySQL's 64 characters: readable prefix, hash suffix. */
export function indexName(table: string, cols: readonly string[], kind: 'ux' | 'ix' | 'fk'): string {
  const readable = `${kind}_${table}_${cols.join('_')}`;
  if (readable.length <= 60) return readable;
  const hash = createHash('sha256').update(readable).digest('hex').slice(0, 8);
  return `${readable.slice(0, 51)}_${hash}`;
}

async function ensureIndex(qi: QueryInterface, table: string, cols: readonly string[], unique: boolean) {
  const name = indexName(table, cols, unique ? 'ux' : 'ix');
  // Found by its columns, not its name: a renamed table or column keeps its indexes under their first names.
  if ((await indexesOf(qi, table)).some((i) => i.name === name || (i.unique === unique && i.columns.join(',') === cols.join(',')))) return;
  await qi.addIndex(table, [...cols], { name, unique });
}

export interface IndexInfo {
  readonly name: string;
  readonly unique: boolean;
  readonly columns: readonly string[];
}

/** The indexes of `table` but its primary key. */
export async function indexesOf(qi: QueryInterface, table: string, options: { transaction?: unknown } = {}): Promise<IndexInfo[]> {
  const raw = (await qi.showIndex(table, options as never)) as unknown as { name: string; unique?: boolean; primary?: boolean; fields?: { attribute: string }[] }[];
  return raw
    .filter((i) => !i.primary && i.name !== 'PRIMARY' && !i.name.startsWith('sqlite_autoindex'))
    .map((i) => ({ name: i.name, unique: !!i.unique, columns: (i.fields ?? []).map((f) => f.attribute) }));
}

async function ensureForeignKey(qi: QueryInterface, table: string, column: string, target: string, onDelete: string) {
  const name = indexName(table, [column], 'fk');
  const refs = (await qi.getForeignKeyReferencesForTable(table)) as { constraintName: string; columnName?: string; referencedTableName?: string }[];
  // By column and target too: a renamed table or column keeps its constraint's first name.
  if (refs.some((r) => r.constraintName === name || (r.columnName === column && r.referencedTableName === target))) return;
  await qi.addConstraint(table, {
    type: 'foreign key',
    name,
    fields: [column],
    references: { table: target, field: 'id' },
    onDelete: onDelete === 'cascade' ? 'CASCADE' : onDelete === 'set-null' ? 'SET NULL' : 'RESTRICT',
    onUpdate: 'CASCADE',
  });
}

/**
 * The query interface with `transaction` added to the options of every call that syncTables
 * makes (each takes its options last).
 */
function withTransaction(qi: QueryInterface, tx: Transaction): QueryInterface {
  const last: Record<string, number> = { showAllTables: 0, describeTable: 1, createTable: 2, addColumn: 3, addIndex: 2, showIndex: 1, getForeignKeyReferencesForTable: 1, addConstraint: 1 };
  return new Proxy(qi, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !(prop in last) || typeof value !== 'function') return value;
      const at = last[prop]!;
      return (...args: unknown[]) => {
        const options = (args[at] ?? {}) as Record<string, unknown>;
        args[at] = { ...options, transaction: tx };
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
