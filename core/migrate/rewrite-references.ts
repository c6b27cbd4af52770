/**
 * The records that name modules and fields by name — rules, permissions, saved views, other
 * modules' definitions, history entries, search postings and counts — carried through a plan's
 * renames, and told about its drops. With `write: false` (the dry run) nothing is written and
 * the answer says what would change.
 */
import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import type { Registry, StoredDefinition } from '../db/registry.js';
import { storedDateTime } from '../query/values.js';
import type { Affect } from '../schema/change-plan.js';
import { canonical } from '../schema/plan-change.js';
import { renameFieldList, renameFilter, renameInDefinition, renameListQuery, type Definitions, type Renames } from '../schema/rename-references.js';
import { COUNTS_TABLE } from '../data/scope-counts.js';
import { TRIGRAMS_TABLE } from '../query/trigrams.js';
import type { TableOps } from './table-ops.js';
import { TRASH_TABLE } from './trash.js';

/** A name no field has: renaming a dropped field to it shows which records name that field. */
const GONE = '\u0000gone';

export interface ReferenceChange {
  readonly renames: Renames;
  /** Fields removed, per module (old names). */
  readonly dropped: ReadonlyMap<string, readonly string[]>;
  /** A module removed. */
  readonly droppedModule?: string;
}

export class ReferenceRewriter {
  /** The renames plus every dropped field renamed to GONE: a record that changes under them names a dropped field. */
  private readonly probing: Renames;

  constructor(
    private readonly db: Database,
    private readonly ops: TableOps,
    private readonly defs: Definitions,
    private readonly change: ReferenceChange,
    private readonly tx?: Transaction,
  ) {
    const fields = new Map([...change.renames.fields].map(([m, f]) => [m, new Map(f)]));
    for (const [m, names] of change.dropped) {
      const map = fields.get(m) ?? new Map<string, string>();
      for (const n of names) map.set(n, GONE);
      fields.set(m, map);
    }
    this.probing = { modules: change.renames.modules, fields };
  }

  private q(s: string) {
    return this.db.quote(s);
  }

  /** Everything named by a renamed or dropped module or field; written unless `write` is false. */
  async run(write: boolean, registry?: Registry, stored: readonly StoredDefinition[] = []): Promise<Affect[]> {
    const tables = await this.ops.tables();
    const out: Affect[] = [];
    if (tables.has('rule')) out.push(...(await this.rules(write)));
    if (tables.has('permission')) out.push(...(await this.permissions(write)));
    if (tables.has('saved_view')) out.push(...(await this.views(write)));
    out.push(...(await this.definitions(write, registry, stored)));
    if (write) await this.engineTables(tables);
    return out;
  }

  private moduleOf(name: string) {
    return this.change.renames.modules.get(name) ?? name;
  }

  private async rules(write: boolean): Promise<Affect[]> {
    const out: Affect[] = [];
    const rows = await this.db.all({ sql: `SELECT ${this.q('id')}, ${this.q('name')}, ${this.q('module')}, ${this.q('filter')} FROM ${this.q('rule')}`, params: [] }, this.tx);
    for (const row of rows) {
      const module = String(row.module);
      const filter = parse(row.filter);
      if (module === this.change.droppedModule) {
        out.push({ kind: 'rule', id: Number(row.id), module, message: `the rule "${String(row.name)}" restricts "${module}"; it stays and restricts nothing until a module of that name exists again` });
        continue;
      }
      const probed = renameFilter(this.defs, module, filter, this.probing);
      if (canonical(probed).includes(GONE)) {
        out.push({ kind: 'rule', id: Number(row.id), module, message: `the rule "${String(row.name)}" filters on a removed field: it will match no record until it is changed` });
      }
      const renamed = renameFilter(this.defs, module, filter, this.change.renames);
      const moved = this.moduleOf(module);
      if (canonical(renamed) === canonical(filter) && moved === module) continue;
      out.push({ kind: 'rule', id: Number(row.id), module: moved, message: `the rule "${String(row.name)}" is rewritten with the new names` });
      if (write) await this.updateRecord('rule', Number(row.id), { module: moved, filter: JSON.stringify(renamed) });
    }
    return out;
  }

  private async permissions(write: boolean): Promise<Affect[]> {
    const out: Affect[] = [];
    const rows = await this.db.all({ sql: `SELECT ${this.q('id')}, ${this.q('module')}, ${this.q('readFields')}, ${this.q('writeFields')}, ${this.q('filterFields')} FROM ${this.q('permission')}`, params: [] }, this.tx);
    for (const row of rows) {
      const module = String(row.module);
      if (module === this.change.droppedModule) {
        out.push({ kind: 'permission', id: Number(row.id), module, message: `a permission on "${module}" stays, granting nothing until a module of that name exists again` });
        continue;
      }
      const changes: Record<string, unknown> = {};
      for (const key of ['readFields', 'writeFields', 'filterFields'] as const) {
        const list = parse(row[key]);
        if (!Array.isArray(list)) continue;
        if (renameFieldList(this.defs, module, list, this.probing).includes(GONE)) {
          out.push({ kind: 'permission', id: Number(row.id), module, message: `a permission on "${module}" lists a removed field in ${key}; it is left out` });
        }
        const renamed = renameFieldList(this.defs, module, list, this.change.renames).filter((f) => !this.isDropped(module, f));
        if (canonical(renamed) !== canonical(list)) changes[key] = JSON.stringify(renamed);
      }
      const moved = this.moduleOf(module);
      if (moved !== module) changes.module = moved;
      if (Object.keys(changes).length === 0) continue;
      out.push({ kind: 'permission', id: Number(row.id), module: moved, message: `a permission on "${module}" is rewritten with the new names` });
      if (write) await this.updateRecord('permission', Number(row.id), changes);
    }
    return out;
  }

  private isDropped(module: string, field: string) {
    return (this.change.dropped.get(module) ?? []).includes(field.split('.')[0]!);
  }

  private async views(write: boolean): Promise<Affect[]> {
    const out: Affect[] = [];
    const rows = await this.db.all({ sql: `SELECT ${this.q('id')}, ${this.q('name')}, ${this.q('module')}, ${this.q('query')} FROM ${this.q('saved_view')}`, params: [] }, this.tx);
    for (const row of rows) {
      const module = String(row.module);
      const query = String(row.query ?? '');
      if (module === this.change.droppedModule) {
        out.push({ kind: 'saved_view', id: Number(row.id), module, message: `the saved view "${String(row.name)}" shows "${module}" and stays unused` });
        continue;
      }
      if (renameListQuery(this.defs, module, query, this.probing).includes(encodeURIComponent(GONE).slice(0, 3))) {
        out.push({ kind: 'saved_view', id: Number(row.id), module, message: `the saved view "${String(row.name)}" uses a removed field, which the list will skip` });
      }
      const renamed = renameListQuery(this.defs, module, query, this.change.renames);
      const moved = this.moduleOf(module);
      if (sameQuery(renamed, query) && moved === module) continue;
      out.push({ kind: 'saved_view', id: Number(row.id), module: moved, message: `the saved view "${String(row.name)}" is rewritten with the new names` });
      if (write) await this.updateRecord('saved_view', Number(row.id), { module: moved, ...(sameQuery(renamed, query) ? {} : { query: renamed }) });
    }
    return out;
  }

  private async definitions(write: boolean, registry: Registry | undefined, stored: readonly StoredDefinition[]): Promise<Affect[]> {
    const out: Affect[] = [];
    for (const s of stored) {
      const renamed = renameInDefinition(this.defs, s.definition, this.change.renames);
      if (canonical(renamed) === canonical(s.definition)) continue;
      out.push({ kind: 'reference', module: s.name, message: `the definition of "${s.name}" is rewritten with the new names` });
      if (write && registry) await registry.save({ ...s, definition: renamed }, this.tx);
    }
    return out;
  }

  /** History entries, search postings and counts follow renamed modules and fields. */
  private async engineTables(tables: ReadonlySet<string>): Promise<void> {
    const q = (s: string) => this.q(s);
    for (const [from, to] of this.change.renames.modules) {
      if (tables.has(COUNTS_TABLE)) await this.db.update({ sql: `UPDATE ${q(COUNTS_TABLE)} SET ${q('module')} = $1 WHERE ${q('module')} = $2`, params: [to, from] }, this.tx);
      if (tables.has(TRIGRAMS_TABLE)) await this.db.update({ sql: `UPDATE ${q(TRIGRAMS_TABLE)} SET ${q('module')} = $1 WHERE ${q('module')} = $2`, params: [to, from] }, this.tx);
      if (tables.has('history')) await this.db.update({ sql: `UPDATE ${q('history')} SET ${q('module')} = $1 WHERE ${q('module')} = $2`, params: [to, from] }, this.tx);
      // Fields dropped earlier come back into the module under its new name.
      if (tables.has(TRASH_TABLE)) await this.db.update({ sql: `UPDATE ${q(TRASH_TABLE)} SET ${q('module')} = $1 WHERE ${q('module')} = $2 AND ${q('kind')} <> 'module'`, params: [to, from] }, this.tx);
    }
    for (const [module, fields] of this.change.renames.fields) {
      const now = this.moduleOf(module);
      for (const [from, to] of fields) {
        if (tables.has(TRIGRAMS_TABLE)) {
          await this.db.update({ sql: `UPDATE ${q(TRIGRAMS_TABLE)} SET ${q('field')} = $1 WHERE ${q('module')} = $2 AND ${q('field')} = $3`, params: [to, now, from] }, this.tx);
        }
      }
    }
    for (const [module, fields] of this.change.dropped) {
      if (!tables.has(TRIGRAMS_TABLE)) continue;
      for (const f of fields) await this.db.delete({ sql: `DELETE FROM ${q(TRIGRAMS_TABLE)} WHERE ${q('module')} = $1 AND ${q('field')} = $2`, params: [this.moduleOf(module), f] }, this.tx);
    }
  }

  /**
   * History entries keep the fields' values under their new names, so that old versions stay
   * readable and revertible. Run after the switch (it reads every entry of the module), since
   * an entry read a moment earlier under the old name shows only a stale label.
   */
  async renameHistory(): Promise<void> {
    if (!(await this.ops.hasTable('history'))) return;
    for (const [module, fields] of this.change.renames.fields) if (fields.size > 0) await this.renameHistoryKeys(this.moduleOf(module), fields);
  }

  private async renameHistoryKeys(module: string, fields: ReadonlyMap<string, string>): Promise<void> {
    const q = (s: string) => this.q(s);
    let after = 0;
    for (;;) {
      const rows = await this.db.all({
        sql: `SELECT ${q('id')}, ${q('changes')} FROM ${q('history')} WHERE ${q('module')} = $1 AND ${q('id')} > $2 ORDER BY ${q('id')} LIMIT 2000`,
        params: [module, after],
      }, this.tx);
      if (rows.length === 0) return;
      for (const row of rows) {
        const changes = parse(row.changes);
        if (!changes || typeof changes !== 'object') continue;
        const entries = Object.entries(changes as Record<string, unknown>);
        if (!entries.some(([k]) => fields.has(k))) continue;
        const renamed = Object.fromEntries(entries.map(([k, v]) => [fields.get(k) ?? k, v]));
        await this.db.update({ sql: `UPDATE ${q('history')} SET ${q('changes')} = $1 WHERE ${q('id')} = $2`, params: [JSON.stringify(renamed), Number(row.id)] }, this.tx);
      }
      after = Number(rows[rows.length - 1]!.id);
    }
  }

  private async updateRecord(table: string, id: number, values: Record<string, unknown>): Promise<void> {
    const q = (s: string) => this.q(s);
    const entries = Object.entries(values);
    const sets = entries.map(([k], i) => `${q(k)} = $${i + 1}`);
    await this.db.update({
      sql: `UPDATE ${q(table)} SET ${sets.join(', ')}, ${q('version')} = ${q('version')} + 1, ${q('updatedAt')} = $${entries.length + 1} WHERE ${q('id')} = $${entries.length + 2}`,
      params: [...entries.map(([, v]) => v), storedDateTime(new Date()), id],
    }, this.tx);
  }
}

function parse(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? null;
  try {
    return JSON.parse(value);
  } catch {
    return null;
  }
}

function sameQuery(a: string, b: string): boolean {
  const entries = (s: string) => [...new URLSearchParams(s).entries()].map(([k, v]) => `${k}=${v}`).sort().join('&');
  return entries(a) === entries(b);
}
