/**
 * Reverting a definition change from the change log: a new plan, from the module's current
 * definition back to the definition it had before that change, undoing it and every change
 * applied to the module since (core/schema/revert-migration.ts). It is a plan like any other:
 * dry run, misfits, the token for what it loses, the trash for what it drops; origin 'revert'.
 * Values a change dropped are in the trash; the revert does not bring them back empty: it asks
 * for the trash entry to be restored first (or purged, to go back without them).
 */
import type { Database } from '../db/database.js';
import type { Registry, StoredDefinition } from '../db/registry.js';
import { conflict, forbidden, HttpError, notFound, type ErrorDetail, httpError } from '../errors.js';
import type { MigrationInput } from '../schema/change-plan.js';
import { planChange, type PlannedChange } from '../schema/plan-change.js';
import { nameBefore, revertMigration, type AppliedChange } from '../schema/revert-migration.js';
import { ChangeLog, type ChangeRecord } from './change-log.js';
import { Trash, type TrashEntry } from './trash.js';

export interface PlannedRevert {
  readonly change: PlannedChange;
  /** The module as stored now. */
  readonly current: StoredDefinition;
  readonly others: readonly StoredDefinition[];
}

/**
 * The plan that reverts change `id` of `module` (the module's name now, or its name in that
 * change). `extra` adds what the caller decides for the values that would not fit back
 * (`onMisfit`, more `valueMap` entries), by the fields' names after the revert.
 */
export async function planRevert(db: Database, registry: Registry, module: string, id: number, extra: MigrationInput = {}): Promise<PlannedRevert> {
  const records = (await new ChangeLog(db).list()).filter((r) => r.state === 'applied');
  const target = records.find((r) => r.id === id);
  if (!target || (target.module !== module && target.newName !== module && !isLineageOf(records, target, module))) throw notFound(`Change ${id} of "${module.slice(0, 64)}"`);
  const trash = await new Trash(db).list();
  if (!target.after || !target.before) throw refusedDrop(target, trash);
  const lineage = lineageFrom(records, target);
  const currentName = lineage.at(-1)!.newName;
  const stored = await registry.definitions();
  const current = stored.find((s) => s.name === currentName);
  if (!current) throw conflict('module_missing', `The module "${currentName}" is gone; restore it from the trash first`);
  if (current.source !== 'api') throw forbidden('modules:admin', `Module "${currentName}" is defined in ${current.source === 'builtin' ? 'the engine' : 'metadata/'} files; change it there`);
  const others = stored.filter((s) => s.name !== currentName);
  const inverse = revertMigration(lineage, current.definition, currentName);
  const migration = withExtra(inverse, extra);
  const wanted = { ...target.before, $id: target.module };
  const change = planChange(current.definition, wanted, migration, others.map((s) => s.definition));
  const blockers = trashBlockers(change, lineage, trash);
  return { change: blockers.length > 0 ? { ...change, blockers: [...change.blockers, ...blockers] } : change, current, others };
}

/** The changes of the module from `target` on, following its renames; a later drop ends the module. */
function lineageFrom(records: readonly ChangeRecord[], target: ChangeRecord): (AppliedChange & { id: number })[] {
  const out = [target as AppliedChange & { id: number }];
  let name = target.newName;
  for (const r of records) {
    if (r.id <= target.id || r.module !== name) continue;
    if (!r.after || !r.before) throw conflict('module_missing', `The module "${name}" was removed by change ${r.id} after change ${target.id}; restore it from the trash to go on`);
    out.push(r as AppliedChange & { id: number });
    name = r.newName;
  }
  return out;
}

function isLineageOf(records: readonly ChangeRecord[], target: ChangeRecord, module: string): boolean {
  try {
    return lineageFrom(records, target).at(-1)!.newName === module;
  } catch {
    return false;
  }
}

function withExtra(inverse: MigrationInput, extra: MigrationInput): MigrationInput {
  const valueMap = { ...inverse.valueMap };
  for (const [field, map] of Object.entries(extra.valueMap ?? {})) valueMap[field] = { ...valueMap[field], ...map };
  return {
    ...inverse,
    ...(Object.keys(valueMap).length > 0 ? { valueMap } : {}),
    ...(extra.onMisfit ? { onMisfit: extra.onMisfit } : {}),
  };
}

/** A field or relation the revert adds back while a change in between left its values in the trash. */
function trashBlockers(change: PlannedChange, lineage: readonly (AppliedChange & { id: number })[], trash: readonly TrashEntry[]): ErrorDetail[] {
  const added = new Set(change.steps.filter((s) => s.kind === 'add-field' || s.kind === 'add-relation').map((s) => s.field));
  const out: ErrorDetail[] = [];
  lineage.forEach((c, k) => {
    for (const entry of trash.filter((e) => e.changeId === c.id && e.field)) {
      // The entry names the field as it was before change k; the revert names it as before the first.
      const name = lineage.slice(0, k).reduceRight((n, earlier) => nameBefore(earlier, n), entry.field!);
      if (!added.has(name)) continue;
      out.push({
        path: `/properties/${name}`, code: 'restore_first',
        message: `the values of "${name}" that change ${c.id} removed are in the trash (entry ${entry.id})`,
        hint: `restore them first (POST /api/modules/trash/${entry.id}/restore), or purge the entry to revert without them`,
      });
    }
  });
  return out;
}

function refusedDrop(target: ChangeRecord, trash: readonly TrashEntry[]): HttpError {
  const entry = trash.find((e) => e.changeId === target.id && e.kind === 'module');
  return httpError(409, 'restore_first', `Change ${target.id} removed the module "${target.module}"; it comes back from the trash`, [], {
    hint: entry ? `POST /api/modules/trash/${entry.id}/restore` : 'its trash entry was purged: define the module again',
  });
}
