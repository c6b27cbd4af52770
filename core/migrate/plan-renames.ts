/** A planned change's renames and drops, in the shapes the reference rewrite and the steps need. */
import type { StoredDefinition } from '../db/registry.js';
import { buildModule } from '../schema/build-graph.js';
import type { JsonSchema } from '../schema/module.js';
import type { PlannedChange } from '../schema/plan-change.js';
import type { Definitions } from '../schema/rename-references.js';
import type { ReferenceChange } from './rewrite-references.js';

export const definitionsByName = (stored: readonly StoredDefinition[]): Definitions => new Map(stored.map((s) => [s.name, s.definition as JsonSchema]));

/** The stored name of a field the plan names `name` (its name before a rename). */
export function oldFieldName(change: PlannedChange, name: string): string {
  for (const [from, to] of change.renames) if (to === name) return from;
  return name;
}

export function referenceChange(change: PlannedChange): ReferenceChange {
  const modules = new Map(change.newName !== change.module ? [[change.module, change.newName]] : []);
  const fields = new Map(change.renames.size > 0 ? [[change.module, change.renames]] : []);
  const dropped = change.steps.filter((s) => s.kind === 'drop-field').map((s) => s.field!);
  if (!change.after) {
    const all = [...buildModule(change.before).fields.values()].filter((f) => !f.system).map((f) => f.name);
    return { renames: { modules, fields }, dropped: new Map([[change.module, all]]), droppedModule: change.module };
  }
  return { renames: { modules, fields }, dropped: new Map(dropped.length > 0 ? [[change.module, dropped]] : []) };
}
