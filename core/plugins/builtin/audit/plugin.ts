/**
 * The built-in audit plugin (docs/HISTORY.md): who changed what and when, for every module, with
 * the values before and after per field. Its hooks write one `history` entry per create,
 * update, delete, restore and revert, inside the change's own transaction. It declares a
 * record's history and revert as record routes (routes.ts), which the plugin host mounts at
 * /api/data/<m>/<id>/history and …/revert, and the record of plugins' system access as an
 * admin route. As a built-in it reaches the engine context behind its scopes (../internal.ts):
 * an entry goes straight into `history`, where no caller may write, without hooks of its own.
 */
import { definePlugin, forbidden } from '../../define-plugin.js';
import type { HookContext } from '../../types.js';
import type { Module } from '../../../schema/module.js';
import { isOwnRecords } from '../../../rules/own-records.js';
import { builtin, engineOf } from '../internal.js';
import { appendEntry, HISTORY, notes, recorded, snapshot, writeOnlyChanges, writeOnlySent, type Changes, type NewEntry } from './entries.js';
import { historyRoute, revertRoute, systemUsesRoute } from './routes.js';

type AnyRecord = Record<string, unknown>;
type Ctx = HookContext<Record<string, AnyRecord>>;

export const AUDIT = 'audit';

/**
 * The module a hook runs for, unless it is `history` itself (its entries are not audited again)
 * or a personal module (saved views): history is readable beyond the owner, their records are not.
 */
function audited(ctx: Ctx): Module | undefined {
  const module = ctx.module === HISTORY ? undefined : engineOf(ctx).data.graph.modules.get(ctx.module);
  return module && !isOwnRecords(module) ? module : undefined;
}

const appendOnly = (): never => {
  throw forbidden('history:write', 'History entries are written by the audit plugin only; they cannot be created, changed or deleted through the API');
};

/** Appends an entry in the hook's own transaction. */
function append(ctx: Ctx, entry: NewEntry): Promise<void> {
  const { data, tx } = engineOf(ctx);
  return appendEntry(data, tx!, entry);
}

/** The revert being written in the hook's transaction, if this update is one. */
function revertedTo(ctx: Ctx, module: string, id: number): number | undefined {
  const { tx } = engineOf(ctx);
  return tx && notes.revertedTo(tx, module, id);
}

export const auditPlugin = builtin(definePlugin<Record<string, AnyRecord>>({
  name: AUDIT,
  version: '1.0.0',
  description: 'Audit history: an entry per change of any record, with before and after values; per-record history and revert',
  metadata: new URL('./metadata/', import.meta.url),
  hooks: {
    '*': {
      async afterCreate(record, ctx) {
        const module = audited(ctx);
        if (!module) return;
        const changes: Changes = { ...snapshot(module, record, 'created'), ...writeOnlyChanges(writeOnlySent(module, ctx.written ?? {})) };
        await append(ctx, { module: module.name, recordId: Number(record.id), recordVersion: Number(record.version ?? 1), action: 'create', changes });
      },
      async afterUpdate({ id, after, changes }, ctx) {
        const module = audited(ctx);
        if (!module) return;
        const writeOnly = writeOnlySent(module, ctx.written ?? {});
        const reverted = revertedTo(ctx, module.name, id);
        const kept: Changes = {};
        for (const [name, change] of Object.entries(changes)) if (recorded(module, name) && change) kept[name] = change;
        await append(ctx, {
          module: module.name, recordId: id, recordVersion: Number(after.version), action: reverted === undefined ? 'update' : 'revert',
          changes: { ...kept, ...writeOnlyChanges(writeOnly) }, revertedTo: reverted,
        });
      },
      async afterDelete(record, ctx) {
        const module = audited(ctx);
        if (!module) return;
        // A soft delete keeps every value (a restore brings them back): the entry's action says it all.
        // A record removed for good leaves its last values here.
        const changes = module.softDelete ? {} : snapshot(module, record, 'removed');
        await append(ctx, { module: module.name, recordId: Number(record.id), recordVersion: Number(record.version) + 1, action: 'delete', changes });
      },
      async afterRestore(record, ctx) {
        const module = audited(ctx);
        if (!module) return;
        await append(ctx, { module: module.name, recordId: Number(record.id), recordVersion: Number(record.version), action: 'restore', changes: {} });
      },
    },
    // Append-only: through the API, not even an admin changes the record of what happened.
    [HISTORY]: { beforeCreate: appendOnly, beforeUpdate: appendOnly, beforeDelete: appendOnly },
  },
  recordRoutes: {
    'GET history': historyRoute,
    'POST revert': revertRoute,
  },
  routes: {
    'GET /system-uses': { requires: 'admin', handler: systemUsesRoute },
  },
}));
