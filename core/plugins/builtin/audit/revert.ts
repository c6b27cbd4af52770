/**
 * `POST /api/data/<m>/<id>/revert {"version": N}`: the record's values as of version N, written
 * through the engine's ordinary update, so that the update permission and scope, validation,
 * field permissions, uniqueness (409 `duplicate`), optimistic locking (If-Match) and every
 * plugin's hooks apply as to any change. The audit hook records it as a `revert` to N.
 */
import { badRequest } from '../../../errors.js';
import type { DataContext } from '../../../data/context.js';
import { getRecord } from '../../../data/read-records.js';
import { updateRecord } from '../../../data/write-records.js';
import type { Module } from '../../../schema/module.js';
import { bindContext, systemView } from '../../bound-context.js';
import { notes, recorded } from './entries.js';
import { entriesOf, requireReadable, type HistoryEntry } from './read-history.js';

export async function revertRecord(ctx: DataContext, module: Module, id: number, payload: unknown, ifMatch?: string): Promise<Record<string, unknown>> {
  const version = (payload as { version?: unknown } | null)?.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw badRequest('invalid', 'Say which version to go back to: {"version": 3}; nothing was written', [{ path: '/version', message: 'must be a version number of this record' }]);
  }
  ctx.access.require(module, 'update');
  return ctx.db.transaction(async (tx) => {
    const bound = bindContext(ctx, tx);
    // A record the caller may not read has no history for them (404), as GET …/history says.
    await requireReadable(bound, module, id);
    const entries = await entriesOf(bound, module, id);
    if (!entries.some((e) => e.version === version)) {
      throw badRequest('invalid', `This ${module.name} has no version ${version} in its history; nothing was written`, [{ path: '/version', message: `no such version (known: ${entries.map((e) => e.version).join(', ') || 'none'})` }]);
    }
    const current = await getRecord(systemView(bound), module, id);
    const patch: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(valuesAt(entries, version, current))) {
      if (writable(module, name) && JSON.stringify(value ?? null) !== JSON.stringify(current[name] ?? null)) patch[name] = value;
    }
    notes.reverting(tx, module.name, id, version);
    return updateRecord(bound, module, id, patch, ifMatch, tx);
  });
}

/**
 * The value of each field recorded in `entries` as it was at `version`: the `after` of the last
 * change at or before it; failing that, the `before` of the first change after it (the field
 * held that value until then); failing that, the current value (it never changed).
 */
export function valuesAt(entries: readonly HistoryEntry[], version: number, current: Record<string, unknown>): Record<string, unknown> {
  const names = new Set(entries.flatMap((e) => Object.keys(e.changes)));
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const valued = entries.filter((e) => e.changes[name] !== undefined && !('changed' in e.changes[name]!));
    const last = valued.filter((e) => e.version <= version).at(-1);
    const next = valued.find((e) => e.version > version);
    const at = (e: HistoryEntry, side: 'before' | 'after') => (e.changes[name] as { before: unknown; after: unknown })[side];
    out[name] = last ? at(last, 'after') : next ? at(next, 'before') : current[name];
  }
  return out;
}

/** What a revert may set: stored values the API writes (not the engine's fields, not write-only ones, which history never holds). */
function writable(module: Module, name: string): boolean {
  if (!recorded(module, name)) return false;
  const field = module.fields.get(name);
  return field === undefined || (!field.readOnly && !field.writeOnly);
}
