import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import { textGrams } from '../query/fold.js';
import { trigramFields, TRIGRAMS_TABLE, UNSURE_GRAM } from '../query/trigrams.js';

/** Rows per INSERT on SQLite: 2 + 2 × this many parameters, under its oldest limit of 999. */
const CHUNK = 400;
/** On MariaDB: larger statements, fewer round trips (a prepared statement takes 65,535 parameters). */
const MYSQL_CHUNK = 4000;
/** Records read per step of a rebuild, each step one transaction (one commit, not one per INSERT). */
const REBUILD_BATCH = 10_000;

/**
 * Creates `_stratum_trigrams` unless it exists; true when it did. The key (module, field, gram, id)
 * serves "the ids posted under gram g for module/field" as one index range. On MariaDB the gram is
 * VARBINARY: compared byte for byte and without PAD SPACE, under which the gram of three spaces
 * would equal the unsure marker ''.
 */
export function ensureTrigramTable(db: Database): Promise<boolean> {
  const mysql = db.dialect.name === 'mysql';
  const name = mysql ? 'VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin' : 'TEXT';
  return ensureSystemTable(db, TRIGRAMS_TABLE, {
    module: { type: name, allowNull: false, primaryKey: true },
    field: { type: name, allowNull: false, primaryKey: true },
    gram: { type: mysql ? 'VARBINARY(3)' : 'TEXT', allowNull: false, primaryKey: true },
    id: { type: 'INTEGER', allowNull: false, primaryKey: true },
  });
}

/**
 * The postings of the trigram index (core/query/trigrams.ts), kept in the write's own
 * transaction by create, update and delete (core/data/write-records.ts). Missing postings would
 * be a wrong answer; extra ones only a candidate more, which the LIKE drops. So a delete's
 * cascades may leave theirs behind, and a new record adds its postings whatever an earlier record
 * with the same id (SQLite reuses the highest id) left.
 */
export class TrigramPostings {
  constructor(private readonly db: Database) {}

  /** After record `id` was inserted with the stored `values`. */
  async added(module: Module, id: number, values: Readonly<Record<string, unknown>>, tx?: Transaction): Promise<void> {
    for (const field of trigramFields(module)) await this.post(module.name, field.name, id, postingsOf(values[field.name]), tx);
  }

  /**
   * Before an update that writes `values`: the current texts of the indexed fields it sets, for
   * `changed` afterwards; undefined when it sets none (nothing to maintain, no read).
   */
  async before(module: Module, id: number, values: Readonly<Record<string, unknown>>, tx?: Transaction): Promise<Record<string, unknown> | undefined> {
    const fields = trigramFields(module).filter((f) => f.name in values);
    if (fields.length === 0) return undefined;
    return (await this.read(module, id, fields.map((f) => f.name), tx)) ?? {};
  }

  /** After the update: the postings of the old texts that the new ones lack go, the new ones come. */
  async changed(module: Module, id: number, before: Readonly<Record<string, unknown>>, values: Readonly<Record<string, unknown>>, tx?: Transaction): Promise<void> {
    for (const field of trigramFields(module)) {
      if (!(field.name in values)) continue;
      const now = postingsOf(values[field.name]);
      const gone = postingsOf(before[field.name]).filter((g) => !now.includes(g));
      await this.unpost(module.name, field.name, id, gone, tx);
      await this.post(module.name, field.name, id, now, tx);
    }
  }

  /** Before record `id` is deleted: its postings go with it. */
  async removed(module: Module, id: number, tx?: Transaction): Promise<void> {
    const fields = trigramFields(module);
    if (fields.length === 0) return;
    const row = await this.read(module, id, fields.map((f) => f.name), tx);
    if (!row) return;
    for (const field of fields) await this.unpost(module.name, field.name, id, postingsOf(row[field.name]), tx);
  }

  /** Every posting of `module.field` from its rows: a new index, or rows written around the engine. */
  async rebuild(module: Module, field: string, tx?: Transaction): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    await TrigramPostings.forget(this.db, module.name, field, tx);
    const column = module.fields.get(field)!.column;
    let last = 0;
    for (;;) {
      const rows = await this.db.all({
        sql: `SELECT ${q('id')} AS id, ${q(column)} AS v FROM ${q(module.table)} WHERE ${q('id')} > $1 ORDER BY ${q('id')} LIMIT ${REBUILD_BATCH}`,
        params: [last],
      }, tx);
      if (rows.length === 0) return;
      // In key order, so that each INSERT fills neighbouring index pages.
      const postings = rows.flatMap((r) => postingsOf(r.v).map((gram) => ({ gram, id: Number(r.id) })));
      postings.sort((a, b) => (a.gram < b.gram ? -1 : a.gram > b.gram ? 1 : a.id - b.id));
      const chunk = this.db.dialect.name === 'mysql' ? MYSQL_CHUNK : CHUNK;
      await this.db.transaction(async (t) => {
        for (let i = 0; i < postings.length; i += chunk) await this.insert(module.name, field, postings.slice(i, i + chunk), t);
      }, tx);
      last = Number(rows[rows.length - 1]!.id);
    }
  }

  /** The postings of `module` (of one field, or all). */
  static async forget(db: Database, module: string, field?: string, tx?: Transaction): Promise<void> {
    const q = (s: string) => db.quote(s);
    await db.delete({
      sql: `DELETE FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1${field === undefined ? '' : ` AND ${q('field')} = $2`}`,
      params: field === undefined ? [module] : [module, field],
    }, tx);
  }

  private async read(module: Module, id: number, fields: readonly string[], tx?: Transaction): Promise<Record<string, unknown> | undefined> {
    const q = (s: string) => this.db.quote(s);
    const columns = fields.map((f) => `${q(module.fields.get(f)!.column)} AS ${q(f)}`).join(', ');
    const rows = await this.db.all({ sql: `SELECT ${columns} FROM ${q(module.table)} WHERE ${q('id')} = $1`, params: [id] }, tx);
    return rows[0];
  }

  private async post(module: string, field: string, id: number, grams: readonly string[], tx?: Transaction): Promise<void> {
    for (let i = 0; i < grams.length; i += CHUNK) await this.insert(module, field, grams.slice(i, i + CHUNK).map((gram) => ({ gram, id })), tx);
  }

  /** Postings that are there already (an update's unchanged grams, a reused id's) are kept, not refused. */
  private async insert(module: string, field: string, postings: readonly { gram: string; id: number }[], tx?: Transaction): Promise<void> {
    if (postings.length === 0) return;
    const q = (s: string) => this.db.quote(s);
    const params: unknown[] = [module, field];
    const rows = postings.map(({ gram, id }) => {
      params.push(gram, id);
      return `($1, $2, $${params.length - 1}, $${params.length})`;
    });
    const ignore = this.db.dialect.name === 'mysql' ? ` ON DUPLICATE KEY UPDATE ${q('id')} = ${q('id')}` : ' ON CONFLICT DO NOTHING';
    await this.db.insert({
      sql: `INSERT INTO ${q(TRIGRAMS_TABLE)} (${q('module')}, ${q('field')}, ${q('gram')}, ${q('id')}) VALUES ${rows.join(', ')}${ignore}`,
      params,
    }, tx);
  }

  private async unpost(module: string, field: string, id: number, grams: readonly string[], tx?: Transaction): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    for (let i = 0; i < grams.length; i += CHUNK) {
      const chunk = grams.slice(i, i + CHUNK);
      await this.db.delete({
        sql: `DELETE FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1 AND ${q('field')} = $2 AND ${q('id')} = $3 AND ${q('gram')} IN (${chunk.map((_, j) => `$${j + 4}`).join(', ')})`,
        params: [module, field, id, ...chunk],
      }, tx);
    }
  }
}

/** The grams a stored value is posted under: its grams, the unsure marker, or none for NULL. */
function postingsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const { sure, grams } = textGrams(String(value));
  return sure ? grams : [UNSURE_GRAM];
}

/**
 * Brings the postings in line with the definitions: fields whose index is new since `before` (a
 * new module, a keyword just added, or every field when the table is new) are built from their
 * rows, and fields that lost it lose their postings. After the tables are synced, at start and
 * when a module is saved through the API. Returns the `module.field`s built.
 */
export async function syncTrigramIndexes(db: Database, graph: ModuleGraph, before: ModuleGraph | undefined, tx?: Transaction): Promise<string[]> {
  const fresh = tx ? false : await ensureTrigramTable(db);
  const postings = new TrigramPostings(db);
  const built: string[] = [];
  for (const module of graph.modules.values()) {
    const old = fresh ? undefined : before?.modules.get(module.name);
    const had = new Set(old ? trigramFields(old).map((f) => f.name) : []);
    for (const field of trigramFields(module)) {
      if (had.has(field.name)) continue;
      await postings.rebuild(module, field.name, tx);
      built.push(`${module.name}.${field.name}`);
    }
  }
  for (const old of before?.modules.values() ?? []) {
    const now = new Set(graph.modules.get(old.name) ? trigramFields(graph.modules.get(old.name)!).map((f) => f.name) : []);
    for (const field of trigramFields(old)) if (!now.has(field.name)) await TrigramPostings.forget(db, old.name, field.name, tx);
  }
  return built;
}
