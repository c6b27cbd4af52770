import type { Transaction } from 'sequelize';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';

export type WriteAction = 'create' | 'update' | 'delete' | 'restore';
export type StoredRecord = Record<string, unknown>;

/** A write as the engine did it: the record's id, and the record as the caller may read it (none when they may not). */
export interface Written {
  readonly id: number;
  readonly record: StoredRecord | undefined;
}

/**
 * Plugin hooks around the engine's writes (implemented in core/plugins, which sits on top of the
 * engine). When `wraps` says no enabled plugin hooks a write, the engine writes as if there were
 * no plugins. Otherwise the hooks own the write's transaction: they run the before hooks, call
 * `write` with a context bound to that transaction (the engine's own write, which joins it), run
 * the after hooks, and queue the after-commit ones on it.
 */
export interface WriteHooks {
  wraps(module: Module, action: WriteAction): boolean;
  create(ctx: DataContext, module: Module, payload: unknown, outer: Transaction | undefined,
    write: (ctx: DataContext, payload: unknown) => Promise<Written>): Promise<Written>;
  update(ctx: DataContext, module: Module, id: number, payload: unknown, outer: Transaction | undefined,
    write: (ctx: DataContext, payload: unknown) => Promise<Written>): Promise<Written>;
  delete(ctx: DataContext, module: Module, id: number, outer: Transaction | undefined,
    write: (ctx: DataContext) => Promise<void>): Promise<void>;
  /** A soft-deleted record made live again (core/data/soft-delete.ts). */
  restore(ctx: DataContext, module: Module, id: number, outer: Transaction | undefined,
    write: (ctx: DataContext) => Promise<Written>): Promise<Written>;
}
