import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { compare, or, type Condition } from '../query/ast.js';
import { QueryCompiler } from '../query/compile.js';
import { WriteCompiler } from '../query/compile-write.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import { ScopeCounts, type RowSet } from './scope-counts.js';

/**
 * Keeps every `_scope` column true (Module.scopeColumn): a row's own writes look it up in the
 * same statement (WriteCompiler); this file handles what happens further up the path — a
 * salesman moving department moves their orders and order lines — and whole-table rebuilds.
 * All in the caller's transaction, so no reader ever sees a row in the wrong department. The
 * maintained counts per department (ScopeCounts) move with the rows.
 */
export class ScopeColumns {
  private readonly writer: WriteCompiler;
  readonly counts: ScopeCounts;

  constructor(
    private readonly db: Database,
    private readonly graph: ModuleGraph,
  ) {
    this.writer = new WriteCompiler(new QueryCompiler(graph, db.dialect), db.dialect);
    this.counts = new ScopeCounts(db, this.writer);
  }

  /** After `module`'s record `id` changed `columns`: rows of other modules whose path runs through it. */
  async afterUpdate(module: Module, id: number, columns: ReadonlySet<string>, tx?: Transaction): Promise<void> {
    for (const { target, refs } of this.dependents(module)) {
      const step = target.scopeColumn!.path[refs.length];
      const moved = step === undefined ? columns.has('code') : columns.has(step);
      if (!moved) continue;
      const where = compare({ refs, field: 'id' }, 'eq', id);
      await this.counts.around([{ module: target, where }], tx, () => this.db.update(this.writer.recomputeScope(target, where), tx));
    }
  }

  /**
   * Before `module`'s record `id` is deleted: rows whose path runs through it lose their department
   * (they are deleted or set to null with it; a refused delete rolls this back too).
   */
  async beforeDelete(module: Module, id: number, tx?: Transaction): Promise<void> {
    for (const { target, refs } of this.dependents(module)) {
      const where = compare({ refs, field: 'id' }, 'eq', id);
      await this.counts.around([{ module: target, where }], tx, () => this.db.update(this.writer.clearScope(target, where), tx));
    }
  }

  /**
   * Deletes through `remove` (record `id` of `module`, and what the database's cascades take with
   * it) and takes the removed rows off the counts. A cascade that comes back to a module it
   * passed (a tree of records) removes rows at any depth, so that module is counted afresh.
   */
  async deleting<T>(module: Module, id: number, tx: Transaction, remove: () => Promise<T>): Promise<T> {
    const paths = new Map<string, Condition[]>([[module.name, [compare('id', 'eq', id)]]]);
    const recount = new Set<string>();
    const walk = (current: Module, refs: readonly string[], seen: ReadonlySet<string>) => {
      for (const { child, field } of this.cascadesInto(current.name)) {
        if (seen.has(child.name)) {
          recount.add(child.name);
          continue;
        }
        const path = [field, ...refs];
        paths.set(child.name, [...(paths.get(child.name) ?? []), compare({ refs: path, field: 'id' }, 'eq', id)]);
        walk(child, path, new Set([...seen, child.name]));
      }
    };
    walk(module, [], new Set([module.name]));
    // Below a tree, rows hang off records at any depth too.
    for (const name of recount) for (const { child } of this.cascadesInto(name)) recount.add(child.name);
    const sets: RowSet[] = [...paths].filter(([name]) => !recount.has(name)).map(([name, conds]) => ({ module: this.graph.modules.get(name)!, where: or(...conds) }));
    const result = await this.counts.around(sets, tx, remove);
    for (const name of recount) await this.counts.rebuild(this.graph.modules.get(name)!, tx);
    return result;
  }

  /** Every `_scope` of `module` from scratch: after a bulk load or a changed scope path. */
  async rebuild(module: Module, tx?: Transaction): Promise<void> {
    if (!module.scopeColumn) return;
    await this.db.update(this.writer.recomputeScope(module), tx);
    await this.counts.rebuild(module, tx);
  }

  /**
   * Rebuilds the modules whose scope path is new or differs from the one in `before`, and those
   * whose table has just been given the column (`added`, from syncTables): an upgraded database.
   */
  async rebuildChanged(before: ModuleGraph | undefined, added: readonly string[] = [], tx?: Transaction): Promise<string[]> {
    const rebuilt: string[] = [];
    for (const module of this.graph.modules.values()) {
      if (!module.scopeColumn) continue;
      const old = before?.modules.get(module.name)?.scopeColumn;
      if (old && old.path.join('.') === module.scopeColumn.path.join('.') && !added.includes(module.name)) continue;
      await this.rebuild(module, tx);
      rebuilt.push(module.name);
    }
    return rebuilt;
  }

  /** The references that delete their rows with a record of `name` (x-on-delete: cascade). */
  private cascadesInto(name: string): { child: Module; field: string }[] {
    return [...this.graph.modules.values()].flatMap((child) => [...child.fields.values()]
      .filter((f) => f.kind === 'ref' && f.ref === name && f.onDelete === 'cascade')
      .map((f) => ({ child, field: f.name })));
  }

  /** Modules whose scope path passes through `module` (not at its start), with the refs that reach it. */
  private dependents(module: Module): { target: Module; refs: string[] }[] {
    const out: { target: Module; refs: string[] }[] = [];
    for (const target of this.graph.modules.values()) {
      const path = target.scopeColumn?.path;
      if (!path) continue;
      let current = target;
      for (let i = 0; i < path.length; i++) {
        current = this.graph.modules.get(current.fields.get(path[i]!)!.ref!)!;
        if (current.name === module.name) out.push({ target, refs: path.slice(0, i + 1) });
      }
    }
    return out;
  }
}
