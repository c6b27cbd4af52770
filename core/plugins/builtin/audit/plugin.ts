/**
 * The built-in audit plugin (docs/HISTORY.md): who changed what and when, for every module, with
 * the values before and after per field. Its hooks write one `history` entry per create,
 * update, delete, restore and revert, inside the change's own transaction. Reading a record's
 * history and reverting it are engine routes (core/api/data-routes.ts) over read-history.ts and
 * revert.ts, answered while this plugin is enabled.
 */
import { definePlugin, forbidden } from '../../define-plugin.js';
import type { HookContext } from '../../types.js';
import type { Module } from '../../../schema/module.js';
import { isOwnRecords } from '../../../rules/own-records.js';
import { appendEntry, HISTORY, notes, recorded, snapshot, writeOnlyChanges, writeOnlySent, type Changes } from './entries.js';

type AnyRecord = Record<string, unknown>;
type Ctx = HookContext<Record<string, AnyRecord>>;

export const AUDIT = 'audit';

/**
 * The module a hook runs for, unless it is `history` itself (its entries are not audited again)
 * or a personal module (saved views): history is readable beyond the owner, their records are not.
 */
function audited(ctx: Ctx): Module | undefined {
  const module = ctx.module === HISTORY ? undefined : ctx.data.graph.modules.get(ctx.module);
  return module && !isOwnRecords(module) ? module : undefined;
}

const appendOnly = (): never => {
  throw forbidden('history:write', 'History entries are written by the audit plugin only; they cannot be created, changed or deleted through the API');
};

export const auditPlugin = definePlugin<Record<string, AnyRecord>>({
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
        await appendEntry(ctx.data, ctx.tx, { module: module.name, recordId: Number(record.id), recordVersion: Number(record.version ?? 1), action: 'create', changes });
      },
      async afterUpdate({ id, after, changes }, ctx) {
        const module = audited(ctx);
        if (!module) return;
        const writeOnly = writeOnlySent(module, ctx.written ?? {});
        const revertedTo = notes.revertedTo(ctx.tx, module.name, id);
        const kept: Changes = {};
        for (const [name, change] of Object.entries(changes)) if (recorded(module, name) && change) kept[name] = change;
        await appendEntry(ctx.data, ctx.tx, {
          module: module.name, recordId: id, recordVersion: Number(after.version), action: revertedTo === undefined ? 'update' : 'revert',
          changes: { ...kept, ...writeOnlyChanges(writeOnly) }, revertedTo,
        });
      },
      async afterDelete(record, ctx) {
        const module = audited(ctx);
        if (!module) return;
        // A soft delete keeps every value (a restore brings them back): the entry's action says it all.
        // A record removed for good leaves its last values here.
        const changes = module.softDelete ? {} : snapshot(module, record, 'removed');
        await appendEntry(ctx.data, ctx.tx, { module: module.name, recordId: Number(record.id), recordVersion: Number(record.version) + 1, action: 'delete', changes });
      },
      async afterRestore(record, ctx) {
        const module = audited(ctx);
        if (!module) return;
        await appendEntry(ctx.data, ctx.tx, { module: module.name, recordId: Number(record.id), recordVersion: Number(record.version), action: 'restore', changes: {} });
      },
    },
    // Append-only: through the API, not even an admin changes the record of what happened.
    [HISTORY]: { beforeCreate: appendOnly, beforeUpdate: appendOnly, beforeDelete: appendOnly },
  },
});
