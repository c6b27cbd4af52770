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
 * What the after hooks cannot see, noted by the revert route per transaction: which update is a
 * revert to which version. (Which write-only fields a write sent, whose values the records never
 * hold, the after hooks read from `ctx.written`.) Per transaction, per `<module>:<id>`.
 */
const reverts = new WeakMap<Transaction, Map<string, number>>();

function revertsOf(tx: Transaction): Map<string, number> {
  let r = reverts.get(tx);
  if (!r) reverts.set(tx, (r = new Map()));
  return r;
}

const key = (module: string, id: number) => `${module}:${id}`;

/** The write-only fields a payload sets. */
export function writeOnlySent(module: Module, payload: Record<string, unknown>): string[] {
  return Object.keys(payload).filter((name) => module.fields.get(name)?.writeOnly === true && payload[name] !== undefined);
}

export const notes = {
  /** Set by the revert route before it updates, in the same transaction. */
  reverting(tx: Transaction, module: string, id: number, version: number): void {
    revertsOf(tx).set(key(module, id), version);
  },
  /** The version the update of `module` `id` just written reverts to (read once), if it is a revert. */
  revertedTo(tx: Transaction, module: string, id: number): number | undefined {
    const r = revertsOf(tx);
    const version = r.get(key(module, id));
    r.delete(key(module, id));
    return version;
  },
};

/** `{ password: { changed: true } }` for the write-only fields a write sent. */
export function writeOnlyChanges(names: readonly string[]): Changes {
  return Object.fromEntries(names.map((name) => [name, { changed: true } as const]));
}
