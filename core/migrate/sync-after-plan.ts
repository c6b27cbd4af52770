/**
 * What the new definitions want beyond a plan's own steps — indexes, unique keys, foreign keys,
 * the department column and the search postings — added as at every start, compared with the
 * definitions before the plan as its renames leave them, so that a rename rebuilds nothing.
 */
import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { syncTables } from '../db/ddl.js';
import type { Registry, StoredDefinition } from '../db/registry.js';
import { ScopeColumns } from '../data/scope-column.js';
import { buildGraph, buildModule } from '../schema/build-graph.js';
import type { JsonSchema, ModuleGraph } from '../schema/module.js';
import type { PlannedChange } from '../schema/plan-change.js';
import { renameInDefinition, renameOwnKeywords } from '../schema/rename-references.js';
import { syncTrigramIndexes, TrigramPostings } from '../search/trigram-table.js';
import { trigramFields } from '../query/trigrams.js';
import { definitionsByName, oldFieldName, referenceChange } from './plan-renames.js';

export async function syncAfterPlan(db: Database, registry: Registry, change: PlannedChange, stored: readonly StoredDefinition[], tx?: Transaction): Promise<void> {
  const all = await registry.definitions(tx);
  const graph = buildGraph(all.map((s) => s.definition));
  const before = renamedBefore(change, stored);
  const added = await syncTables(db, graph, [...graph.modules.keys()], tx);
  // A reference pointed at another module moves its records' departments: their column is worked out again.
  const old = buildModule(change.before);
  const retargeted = change.steps.some((s) => s.kind === 'convert' && old.fields.get(oldFieldName(change, s.field!))?.kind === 'ref') ? [change.newName] : [];
  await new ScopeColumns(db, graph).rebuildChanged(before, [...added, ...retargeted], tx);
  await syncTrigramIndexes(db, graph, before, tx);
  const module = graph.modules.get(change.newName);
  if (!module) return;
  const searched = new Set(trigramFields(module).map((f) => f.name));
  const postings = new TrigramPostings(db);
  for (const step of change.steps) if (step.kind === 'convert' && searched.has(step.field!)) await postings.rebuild(module, step.field!, tx);
}

/** The definitions before the plan, with its renames applied. */
function renamedBefore(change: PlannedChange, stored: readonly StoredDefinition[]): ModuleGraph {
  const defs = definitionsByName(stored);
  const { renames } = referenceChange(change);
  const out: JsonSchema[] = [];
  for (const s of stored) {
    if (s.name !== change.module) {
      out.push(renameInDefinition(defs, s.definition, renames));
      continue;
    }
    if (!change.after) continue;
    const props = Object.fromEntries(Object.entries((s.definition.properties ?? {}) as Record<string, JsonSchema>).map(([k, v]) => [change.renames.get(k) ?? k, v]));
    out.push(renameInDefinition(defs, renameOwnKeywords({ ...s.definition, $id: change.newName, properties: props }, change.renames), renames));
  }
  return buildGraph(out);
}
