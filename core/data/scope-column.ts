import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { compare } from '../query/ast.js';
import { QueryCompiler } from '../query/compile.js';
import { WriteCompiler } from '../query/compile-write.js';
import type { Module, ModuleGraph } from '../schema/module.js';

/**
 * Keeps every `_scope` column true (Module.scopeColumn): a row's own writes look it up in the
 * same statement (WriteCompiler); this file handles what happens further up the path — a
 * salesman moving department moves their orders and order lines — and whole-table rebuilds.
 * All in the caller's transaction, so no reader ever sees a row in the wrong department.
 */
export class ScopeColumns {
  private readonly writer: WriteCompiler;

  constructor(
    private readonly db: Database,
    private readonly graph: ModuleGraph,
  ) {
    this.writer = new WriteCompiler(new QueryCompiler(graph, db.dialect), db.dialect);
  }

  /** After `module`'s record `id` changed `columns`: rows of other modules whose path runs through it. */
  async afterUpdate(module: Module, id: number, columns: ReadonlySet<string>, tx?: Transaction): Promise<void> {
    for (const { target, refs } of this.dependents(module)) {
      const step = target.scopeColumn!.path[refs.length];
      const moved = step === undefined ? columns.has('code') : columns.has(step);
      if (moved) await this.db.update(this.writer.recomputeScope(target, compare({ refs, field: 'id' }, 'eq', id)), tx);
    }
  }

  /**
   * Before `module`'s record `id` is deleted: rows whose path runs through it lose their department
   * (they are deleted or set to null with it; a refused delete rolls this back too).
   */
  async beforeDelete(module: Module, id: number, tx?: Transaction): Promise<void> {
    for (const { target, refs } of this.dependents(module)) {
      await this.db.update(this.writer.clearScope(target, compare({ refs, field: 'id' }, 'eq', id)), tx);
    }
  }

  /** Every `_scope` of `module` from scratch: after a bulk load or a changed scope path. */
  async rebuild(module: Module, tx?: Transaction): Promise<void> {
    if (module.scopeColumn) await this.db.update(this.writer.recomputeScope(module), tx);
  }

  /**
   * Rebuilds the modules whose scope path is new or differs from the one in `before`, and those
   * whose table has just been given the column (`added`, from syncTables): an upgraded database.
   */
  async rebuildChanged(before: ModuleGraph | undefined, added: readonly string[] = []): Promise<string[]> {
    const rebuilt: string[] = [];
    for (const module of this.graph.modules.values()) {
      if (!module.scopeColumn) continue;
      const old = before?.modules.get(module.name)?.scopeColumn;
      if (old && old.path.join('.') === module.scopeColumn.path.join('.') && !added.includes(module.name)) continue;
      await this.rebuild(module);
      rebuilt.push(module.name);
    }
    return rebuilt;
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
