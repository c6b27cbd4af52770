/**
 * What else happens once a plan is applied, per database: the migrations folder gets the plan as
 * a file (core/migrate/migration-files.ts). Registered once by Stratum.open, so that every way a
 * plan is applied (the API, definition files at start, schema apply, revert, restore) is covered
 * without each caller passing it; with none registered nothing is read or written.
 */
import type { Database } from '../db/database.js';
import { ChangeLog, type ChangeRecord } from './change-log.js';

export type AppliedHook = (record: ChangeRecord) => Promise<void>;

const hooks = new WeakMap<Database, AppliedHook[]>();

/** Runs `hook` with the change log's record after every plan applied on `db` from now on. */
export function onApplied(db: Database, hook: AppliedHook): void {
  hooks.set(db, [...(hooks.get(db) ?? []), hook]);
}

/**
 * Called by applyChange once plan `id` is committed. The plan stays applied whatever a hook
 * does, so a failing hook is reported, not thrown: the caller must not hear "failed" for a
 * change that took effect.
 */
export async function announceApplied(db: Database, id: number): Promise<void> {
  const list = hooks.get(db);
  if (!list || list.length === 0) return;
  const record = await new ChangeLog(db).get(id);
  if (!record) return;
  for (const hook of list) {
    try {
      await hook(record);
    } catch (e) {
      console.error(`After applying change ${id} of "${record.module}": ${(e as Error).message}`);
    }
  }
}
