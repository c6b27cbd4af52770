import { DataTypes } from 'sequelize';
import type { Transaction } from 'sequelize';
import { buildGraph } from '../schema/build-graph.js';
import type { JsonSchema, ModuleGraph } from '../schema/module.js';
import type { Database } from './database.js';

export const MODULES_TABLE = '_stratum_modules';
export const STATE_TABLE = '_stratum_state';

export interface StoredDefinition {
  readonly name: string;
  readonly definition: JsonSchema;
  /** 'builtin' (core/system-modules), 'file' (metadata/), or 'api' (created at runtime). */
  readonly source: 'builtin' | 'file' | 'api';
}

/**
 * Module definitions live in the database, not in process memory, so that every server process
 * sharing it agrees on them. A generation counter in the same database changes with every
 * definition, rule, grant or user change; each request compares it with the one its cached
 * graph was built at (one primary-key read) and rebuilds when it moved.
 */
export class Registry {
  private cached: ModuleGraph | undefined;
  private loading: Promise<ModuleGraph> | undefined;

  constructor(private readonly db: Database) {}

  async ensureTables(): Promise<void> {
    const qi = this.db.sequelize.getQueryInterface();
    const tables = new Set((await qi.showAllTables()).map(String));
    if (!tables.has(MODULES_TABLE)) {
      await qi.createTable(MODULES_TABLE, {
        name: { type: DataTypes.STRING(64), primaryKey: true },
        source: { type: DataTypes.STRING(16), allowNull: false },
        definition: { type: this.db.dialect.name === 'sqlite' ? DataTypes.TEXT : DataTypes.TEXT('long'), allowNull: false },
        updatedAt: { type: DataTypes.DATE(3), allowNull: false },
      }, { charset: 'utf8mb4', collate: 'utf8mb4_bin' });
    }
    if (!tables.has(STATE_TABLE)) {
      await qi.createTable(STATE_TABLE, {
        name: { type: DataTypes.STRING(64), primaryKey: true },
        value: { type: DataTypes.BIGINT, allowNull: false },
      }, { charset: 'utf8mb4', collate: 'utf8mb4_bin' });
      try {
        await this.db.insert({ sql: `INSERT INTO ${this.db.quote(STATE_TABLE)} (name, value) VALUES ($1, $2)`, params: ['generation', 1] });
      } catch {
        // Another process inserted it first.
      }
    }
  }

  async generation(tx?: Transaction): Promise<number> {
    const rows = await this.db.all({ sql: `SELECT value FROM ${this.db.quote(STATE_TABLE)} WHERE name = $1`, params: ['generation'] }, tx);
    return Number(rows[0]?.value ?? 0);
  }

  /** Marks every cached graph, compiled rule and permission in every process as stale. */
  async bump(tx?: Transaction): Promise<void> {
    await this.db.update({ sql: `UPDATE ${this.db.quote(STATE_TABLE)} SET value = value + 1 WHERE name = $1`, params: ['generation'] }, tx);
  }

  /** The current module graph, rebuilt only when the generation moved. */
  async graph(): Promise<ModuleGraph> {
    return this.graphAt(await this.generation());
  }

  /** The graph at a generation the caller has just read (with its session, in one statement). */
  async graphAt(generation: number): Promise<ModuleGraph> {
    if (this.cached && this.cached.generation === generation) return this.cached;
    if (!this.loading) {
      this.loading = this.load(generation).finally(() => (this.loading = undefined));
    }
    return this.loading;
  }

  private async load(generation: number): Promise<ModuleGraph> {
    const stored = await this.definitions();
    const graph = buildGraph(stored.map((s) => s.definition), generation, new Set(stored.filter((s) => s.source === 'builtin').map((s) => s.name)));
    if (!this.cached || this.cached.generation <= generation) this.cached = graph;
    return graph;
  }

  async definitions(tx?: Transaction): Promise<StoredDefinition[]> {
    const rows = await this.db.all({ sql: `SELECT name, source, definition FROM ${this.db.quote(MODULES_TABLE)} ORDER BY name`, params: [] }, tx);
    return rows.map((r) => ({ name: String(r.name), source: r.source as StoredDefinition['source'], definition: JSON.parse(String(r.definition)) }));
  }

  async save(def: StoredDefinition, tx?: Transaction): Promise<void> {
    const q = (s: string) => this.db.quote(s);
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const text = JSON.stringify(def.definition);
    const exists = await this.db.all({ sql: `SELECT 1 AS x FROM ${q(MODULES_TABLE)} WHERE ${q('name')} = $1`, params: [def.name] }, tx);
    if (exists.length > 0) {
      await this.db.update({
      sql: `UPDATE ${q(MODULES_TABLE)} SET ${q('definition')} = $1, ${q('source')} = $2, ${q('updatedAt')} = $3 WHERE ${q('name')} = $4`,
      params: [text, def.source, now, def.name],
      }, tx);
    } else {
      await this.db.insert({
        sql: `INSERT INTO ${q(MODULES_TABLE)} (${q('name')}, ${q('source')}, ${q('definition')}, ${q('updatedAt')}) VALUES ($1, $2, $3, $4)`,
        params: [def.name, def.source, text, now],
      }, tx);
    }
  }

  async remove(name: string, tx?: Transaction): Promise<void> {
    await this.db.delete({ sql: `DELETE FROM ${this.db.quote(MODULES_TABLE)} WHERE ${this.db.quote('name')} = $1`, params: [name] }, tx);
  }
}
