/**
 * A plan file of the migrations folder (a change log record, core/migrate/migration-files.ts)
 * replayed on another database: the same change, planned again from its `before`, `after` and
 * x-migration — only where the module is stored exactly as the plan's `before` (its base), and
 * skipped where it is stored as its `after` already.
 */
import type { Registry } from '../db/registry.js';
import { httpError } from '../errors.js';
import { canonical, definitionHash, planChange, planDrop, type PlannedChange } from '../schema/plan-change.js';
import type { ChangeRecord } from './change-log.js';

export type PlanFile = Pick<ChangeRecord, 'id' | 'module' | 'newName' | 'base' | 'before' | 'after' | 'migration' | 'at'>;

/** Plan files in the order they were applied: by time, then change id (file names sort ids as text). */
export const appliedOrder = (a: PlanFile, b: PlanFile) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id - b.id);

/** Whether parsed JSON is a plan file rather than a snapshot. */
export function isPlanFile(json: unknown): json is PlanFile {
  if (!json || typeof json !== 'object') return false;
  const r = json as Record<string, unknown>;
  return typeof r.module === 'string' && typeof r.base === 'string' && Array.isArray(r.steps) && typeof r.before === 'object';
}

/** The change to replay, or undefined when the database holds the plan's outcome already. */
export async function replayedChange(registry: Registry, file: PlanFile): Promise<PlannedChange | undefined> {
  const stored = await registry.definitions();
  const current = stored.find((s) => s.name === file.module);
  const others = stored.filter((s) => s.name !== file.module).map((s) => s.definition);
  if (current && definitionHash(current.definition) === file.base && file.before) {
    return file.after ? planChange(current.definition, file.after, file.migration, others) : planDrop(current.definition, others);
  }
  const outcome = file.after ? stored.find((s) => s.name === file.newName) : undefined;
  if (file.after ? outcome && canonical(outcome.definition) === canonical(file.after) : !current) return undefined;
  throw httpError(409, 'stale_definition', `"${file.module}" is not stored as plan ${file.id} found it (base ${file.base}); nothing was changed`, [], {
    hint: 'apply the plans before it first, or take a snapshot of the source and diff it',
  });
}
