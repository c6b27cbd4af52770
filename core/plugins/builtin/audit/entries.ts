/**
 * Writing history entries: one row of the `history` module per change, in the change's own
 * transaction, so that a change and its entry commit or roll back together.
 */
import type { Transaction } from 'sequelize';
import type { DataContext } from '../../../data/context.js';
import { storedDateTime } from '../../../query/values.js';
import type { Field, Module } from '../../../schema/module.js';

/** The module that holds the entries (metadata/history.json). */
export const HISTORY = 'history';

export type HistoryAction = 'create' | 'update' | 'delete' | 'restore' | 'revert';

/** A field's change; a write-only field (a password) only says that it changed, never a value. */
export type Change = { readonly before: unknown; readonly after: unknown } | { readonly changed: true };
export type Changes = Record<string, Change>;

export interface NewEntry {
  readonly module: string;
  readonly recordId: number;
  readonly recordVersion: number;
  readonly action: HistoryAction;
  readonly changes: Changes;
  readonly revertedTo?: number | undefined;
}

/**
 * Appends an entry straight into the table, inside `tx`: the caller has no permission on
 * `history` (nor should they), and an entry must not run hooks of its own.
 */
export async function appendEntry(data: DataContext, tx: Transaction, entry: NewEntry): Promise<void> {
  const history = data.graph.modules.get(HISTORY);
  if (!history) throw new Error('the history module is missing: the audit plugin ships it in metadata/history.json');
  const now = storedDateTime(new Date());
  const actor = data.access.actor;
  await data.db.insert(data.writer.insert(history, {
    module: entry.module,
    recordId: entry.recordId,
    recordVersion: entry.recordVersion,
    action: entry.action,
    revertedTo: entry.revertedTo ?? null,
    userId: actor.id,
    username: actor.username.slice(0, 64),
    at: now,
    changes: JSON.stringify(entry.changes),
    createdAt: now,
    updatedAt: now,
    createdBy: actor.id,
    updatedBy: actor.id,
    version: 1,
  }), tx);
}

/**
 * The stored values of a record as changes from nothing (`create`) or to nothing (a removed
 * record): every field that holds a value, many-to-many lists that are not empty.
 */
export function snapshot(module: Module, record: Record<string, unknown>, direction: 'created' | 'removed'): Changes {
  const out: Changes = {};
  for (const [name, value] of Object.entries(record)) {
    if (!recorded(module, name) || value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0 && module.relations.has(name)) continue;
    const empty = module.relations.has(name) ? [] : null;
    out[name] = direction === 'created' ? { before: empty, after: value } : { before: value, after: empty };
  }
  return out;
}

/** Fields and many-to-many relations whose values history keeps: not the engine's own (id, version, _scope, …). */
export function recorded(module: Module, name: string): boolean {
  const field: Field | undefined = module.fields.get(name);
  if (field) return !field.system && !field.internal;
  return module.relations.get(name)?.kind === 'many-to-many';
}

/**
 * What the after hooks cannot see, noted by the before hooks and the revert route per
 * transaction: which write-only fields a write sent (the records the hooks see never hold their
 * values), and which update is a revert to which version.
 */
interface Pending {
  /** Per module, a stack: a create's before hook pushes, its after hook pops (nested creates unwind in order). */
  readonly created: Map<string, string[][]>;
  /** Per `<module>:<id>`. */
  readonly updated: Map<string, string[]>;
  readonly reverts: Map<string, number>;
}

const pending = new WeakMap<Transaction, Pending>();

function pendingOf(tx: Transaction): Pending {
  let p = pending.get(tx);
  if (!p) pending.set(tx, (p = { created: new Map(), updated: new Map(), reverts: new Map() }));
  return p;
}

const key = (module: string, id: number) => `${module}:${id}`;

/** The write-only fields a payload sets. */
export function writeOnlySent(module: Module, payload: Record<string, unknown>): string[] {
  return Object.keys(payload).filter((name) => module.fields.get(name)?.writeOnly === true && payload[name] !== undefined);
}

export const notes = {
  createStarts(tx: Transaction, module: string, writeOnly: string[]): void {
    const stacks = pendingOf(tx).created;
    stacks.set(module, [...(stacks.get(module) ?? []), writeOnly]);
  },
  createEnds(tx: Transaction, module: string): string[] {
    const stack = pendingOf(tx).created.get(module);
    return stack?.pop() ?? [];
  },
  updateStarts(tx: Transaction, module: string, id: number, writeOnly: string[]): void {
    pendingOf(tx).updated.set(key(module, id), writeOnly);
  },
  updateEnds(tx: Transaction, module: string, id: number): { writeOnly: string[]; revertedTo: number | undefined } {
    const p = pendingOf(tx);
    const k = key(module, id);
    const out = { writeOnly: p.updated.get(k) ?? [], revertedTo: p.reverts.get(k) };
    p.updated.delete(k);
    p.reverts.delete(k);
    return out;
  },
  /** Set by the revert route before it updates, in the same transaction. */
  reverting(tx: Transaction, module: string, id: number, version: number): void {
    pendingOf(tx).reverts.set(key(module, id), version);
  },
};

/** `{ password: { changed: true } }` for the write-only fields a write sent. */
export function writeOnlyChanges(names: readonly string[]): Changes {
  return Object.fromEntries(names.map((name) => [name, { changed: true } as const]));
}
