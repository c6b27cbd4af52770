/**
 * A new module: checked with the modules it may refer to, saved, and its table built; on a
 * database failure the definition is removed again. `POST /api/modules` and schema apply create
 * modules here; a stored module changes only through the planner (core/migrate/apply-change.ts).
 */
import type { Database } from '../db/database.js';
import { syncTables } from '../db/ddl.js';
import type { Registry } from '../db/registry.js';
import { ScopeColumns } from '../data/scope-column.js';
import { httpError } from '../errors.js';
import { buildGraph } from '../schema/build-graph.js';
import { checkDefinitions } from '../schema/check-definitions.js';
import { DefinitionError } from '../schema/finding.js';
import type { JsonSchema } from '../schema/module.js';
import { syncTrigramIndexes } from '../search/trigram-table.js';

/** Refuses `def` with every finding at once (DefinitionError) when it is not valid beside `others`. */
export function checkDefinition(def: JsonSchema, others: readonly JsonSchema[]): void {
  const existing = new Map<string, unknown>(others.map((d) => [String(d.$id), d]));
  const findings = checkDefinitions([def], { existing });
  if (findings.length > 0) throw new DefinitionError(findings);
}

/** Creates the module `def` beside the stored `others`. */
export async function createModule(db: Database, registry: Registry, def: JsonSchema, others: readonly JsonSchema[]): Promise<void> {
  checkDefinition(def, others);
  const graph = buildGraph([...others, def]);
  await registry.save({ name: String(def.$id), definition: def, source: 'api' });
  try {
    // Every module: a new reference can give another module a scope path, and so a `_scope` column.
    const added = await syncTables(db, graph, [...graph.modules.keys()]);
    const old = buildGraph([...others]);
    await new ScopeColumns(db, graph).rebuildChanged(old, added);
    await syncTrigramIndexes(db, graph, old);
  } catch (e) {
    await registry.remove(String(def.$id));
    throw httpError(409, 'ddl_failed', `The database refused the change (${(e as Error).message.slice(0, 200)}); nothing was changed`);
  } finally {
    await registry.bump();
  }
}
