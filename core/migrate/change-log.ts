/**
 * `_stratum_schema_changes`: every plan applied to the definitions, who applied it and when, the
 * definitions before and after and its steps. It is also the journal of a plan under way: a plan
 * is written as `applying` before its first step and `applied` after its last, so that a process
 * that stops in between finds it at its next start (core/migrate/resume.ts). On SQLite a plan is
 * one transaction and never stays `applying`.
 */
import { DataTypes, type Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { ensureSystemTable } from '../db/system-table.js';
import { storedDateTime } from '../query/values.js';
import type { MigrationInput, PlanStep } from '../schema/change-plan.js';
import type { JsonSchema } from '../schema/module.js';
import { isoOf } from './trash.js';

export const CHANGES_TABLE = '_stratum_schema_changes';

export type ChangeState = 'applying' | 'applied' | 'rolled-back';

export interface ChangeRecord {
  readonly id: number;
  readonly module: string;
  readonly newName: string;
  readonly base: string;
  readonly state: ChangeState;
  readonly phase: 'prepare' | 'switch';
  readonly done: readonly string[];
  readonly before: JsonSchema | null;
  readonly after: JsonSchema | null;
  readonly migration: MigrationInput;
  readonly steps: readonly PlanStep[];
  readonly userId: number | null;
  readonly username: string;
  readonly at: string;
  /** Where the plan came from: the API, a definition file at start, a schema apply, a revert, the trash. */
  readonly origin: string;
}

export function ensureChangesTable(db: Database): Promise<boolean> {
  const text = db.dialect.name === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT;
  return ensureSystemTable(db, CHANGES_TABLE, {
    id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
    module: { type: DataTypes.STRING(64), allowNull: false },
    newName: { type: DataTypes.STRING(64), allowNull: false },
    base: { type: DataTypes.STRING(32), allowNull: false },
    state: { type: DataTypes.STRING(16), allowNull: false },
    // 'prepare' while nothing readers see has changed (undone at a restart), 'switch' once it has (finished at a restart).
    phase: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'prepare' },
    // The switch's operations done so far (labels, JSON): a restart runs only the others.
    done: { type: text, allowNull: true },
    origin: { type: DataTypes.STRING(16), allowNull: false },
    before: { type: text, allowNull: true },
    after: { type: text, allowNull: true },
    migration: { type: text, allowNull: false },
    steps: { type: text, allowNull: false },
    userId: { type: DataTypes.INTEGER, allowNull: true },
    username: { type: DataTypes.STRING(64), allowNull: false },
    at: { type: DataTypes.DATE(3), allowNull: false },
  });
}

export class ChangeLog {
  constructor(private readonly db: Database) {}

  private q(s: string) {
    return this.db.quote(s);
  }

  async begin(entry: Omit<ChangeRecord, 'id' | 'state' | 'phase' | 'done' | 'at'>, tx?: Transaction): Promise<number> {
    const q = (s: string) => this.q(s);
    const cols = ['module', 'newName', 'base', 'state', 'origin', 'before', 'after', 'migration', 'steps', 'userId', 'username', 'at'];
    return this.db.insert({
      sql: `INSERT INTO ${q(CHANGES_TABLE)} (${cols.map(q).join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      params: [
        entry.module, entry.newName, entry.base, 'applying', entry.origin,
        entry.before ? JSON.stringify(entry.before) : null, entry.after ? JSON.stringify(entry.after) : null,
        JSON.stringify(entry.migration), JSON.stringify(entry.steps), entry.userId, entry.username.slice(0, 64), storedDateTime(new Date()),
      ],
    }, tx);
  }

  async phase(id: number, phase: 'prepare' | 'switch', tx?: Transaction): Promise<void> {
    await this.db.update({ sql: `UPDATE ${this.q(CHANGES_TABLE)} SET ${this.q('phase')} = $1 WHERE ${this.q('id')} = $2`, params: [phase, id] }, tx);
  }

  async markDone(id: number, labels: readonly string[]): Promise<void> {
    await this.db.update({ sql: `UPDATE ${this.q(CHANGES_TABLE)} SET ${this.q('done')} = $1 WHERE ${this.q('id')} = $2`, params: [JSON.stringify(labels), id] });
  }

  async finish(id: number, state: Exclude<ChangeState, 'applying'>, tx?: Transaction): Promise<void> {
    await this.db.update({ sql: `UPDATE ${this.q(CHANGES_TABLE)} SET ${this.q('state')} = $1 WHERE ${this.q('id')} = $2`, params: [state, id] }, tx);
  }

  async list(filter: { id?: number; module?: string; state?: ChangeState } = {}): Promise<ChangeRecord[]> {
    const q = (s: string) => this.q(s);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.module) {
      params.push(filter.module, filter.module);
      where.push(`(${q('module')} = $${params.length - 1} OR ${q('newName')} = $${params.length})`);
    }
    if (filter.state) {
      params.push(filter.state);
      where.push(`${q('state')} = $${params.length}`);
    }
    if (filter.id !== undefined) {
      params.push(filter.id);
      where.push(`${q('id')} = $${params.length}`);
    }
    const rows = await this.db.all({ sql: `SELECT * FROM ${q(CHANGES_TABLE)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${q('id')}`, params });
    return rows.map((r) => ({
      id: Number(r.id),
      module: String(r.module),
      newName: String(r.newName),
      base: String(r.base),
      state: r.state as ChangeState,
      phase: r.phase === 'switch' ? 'switch' : 'prepare',
      done: r.done ? JSON.parse(String(r.done)) : [],
      origin: String(r.origin),
      before: r.before ? JSON.parse(String(r.before)) : null,
      after: r.after ? JSON.parse(String(r.after)) : null,
      migration: JSON.parse(String(r.migration)),
      steps: JSON.parse(String(r.steps)),
      userId: r.userId === null ? null : Number(r.userId),
      username: String(r.username),
      at: isoOf(r.at),
    }));
  }

  /** Whether a plan is under way (or was left so by a stopped process). */
  async applying(): Promise<boolean> {
    const rows = await this.db.all({ sql: `SELECT COUNT(*) AS n FROM ${this.q(CHANGES_TABLE)} WHERE ${this.q('state')} = $1`, params: ['applying'] });
    return Number(rows[0]?.n ?? 0) > 0;
  }

  async get(id: number): Promise<ChangeRecord | undefined> {
    return (await this.list({ id }))[0];
  }
}
