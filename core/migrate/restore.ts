/**
 * Bringing back what a plan dropped. A field or relation comes back through the planner (a plan
 * that adds it, whose switch fills it from the trash in the same transaction); a module is
 * created again from its definition and its rows copied back, its history still in place.
 */
import { createHash } from 'node:crypto';
import type { Database } from '../db/database.js';
import type { Registry } from '../db/registry.js';
import { syncTables } from '../db/ddl.js';
import { ScopeColumns } from '../data/scope-column.js';
import { conflict, notFound, httpError } from '../errors.js';
import { buildGraph } from '../schema/build-graph.js';
import { checkDefinitions } from '../schema/check-definitions.js';
import { DefinitionError } from '../schema/finding.js';
import type { JsonSchema } from '../schema/module.js';
import { planChange } from '../schema/plan-change.js';
import { syncTrigramIndexes } from '../search/trigram-table.js';
import { applyChange, oneAtATime, type ChangeOptions } from './apply-change.js';
import { TableOps } from './table-ops.js';
import { Trash, type TrashEntry } from './trash.js';

/** The token a purge is confirmed with (the entry and its table). */
export const purgeToken = (entry: TrashEntry) => createHash('sha256').update(`purge\n${entry.id}\n${entry.table}`).digest('hex').slice(0, 24);

export async function restoreFromTrash(db: Database, registry: Registry, id: number, actor: ChangeOptions['actor']): Promise<{ module: string; field?: string }> {
  const trash = new Trash(db);
  const entry = await trash.get(id);
  if (!entry) throw notFound(`Trash entry ${id}`);
  if (entry.kind === 'module') return restoreModule(db, registry, entry);
  const stored = await registry.definitions();
  const current = stored.find((s) => s.name === entry.module);
  if (!current) throw conflict('module_missing', `The module "${entry.module}" is gone; restore it first`);
  const props = (current.definition.properties ?? {}) as Record<string, JsonSchema>;
  if (entry.field! in props) throw conflict('field_exists', `"${entry.module}" has a field "${entry.field}" again; rename it first, then restore`);
  const q = (s: string) => db.quote(s);
  // Records made since the drop have no value: the field comes back required only if none lacks one.
  const lacking = entry.kind === 'field' && entry.required
    ? Number((await db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(entry.module)} WHERE ${q('id')} NOT IN (SELECT ${q('id')} FROM ${q(entry.table)})`, params: [] }))[0]?.n ?? 0)
    : 0;
  const optional = { ...current.definition, properties: { ...props, [entry.field!]: entry.definition } };
  const change = planChange(current.definition, optional, {}, stored.filter((s) => s.name !== entry.module).map((s) => s.definition));
  if (change.blockers.length > 0) throw httpError(409, 'restore_refused', 'The field cannot come back as it was', change.blockers);
  await applyChange(db, registry, change, {
    actor, origin: 'trash',
    afterSwitch: async (tx) => {
      const restoring = new TableOps(db, tx);
      if (entry.kind === 'field') {
        await restoring.run(`UPDATE ${q(entry.module)} SET ${q(entry.field!)} = (SELECT t.${q('value')} FROM ${q(entry.table)} t WHERE t.${q('id')} = ${q(entry.module)}.${q('id')}) WHERE ${q('id')} IN (SELECT ${q('id')} FROM ${q(entry.table)})`);
      } else {
        const junction = `${entry.module}_${entry.field}`;
        const target = String(entry.definition['x-ref']);
        await restoring.run(`INSERT INTO ${q(junction)} (${q('source')}, ${q('target')}) SELECT t.${q('source')}, t.${q('target')} FROM ${q(entry.table)} t`
          + ` WHERE t.${q('source')} IN (SELECT ${q('id')} FROM ${q(entry.module)}) AND t.${q('target')} IN (SELECT ${q('id')} FROM ${q(target)})`);
      }
      await new Trash(db).remove(entry, tx);
    },
  });
  // Required again only when every record has a value: a second plan, which checks it.
  if (entry.kind === 'field' && entry.required && lacking === 0) {
    const now = (await registry.definitions()).find((s) => s.name === entry.module)!;
    const required = { ...now.definition, required: [...((now.definition.required as string[] | undefined) ?? []), entry.field!] };
    await applyChange(db, registry, planChange(now.definition, required, {}, []), { actor, origin: 'trash' });
  }
  return { module: entry.module, field: entry.field! };
}

async function restoreModule(db: Database, registry: Registry, entry: TrashEntry): Promise<{ module: string }> {
  return oneAtATime(db, async () => {
    const stored = await registry.definitions();
    if (stored.some((s) => s.name === entry.module)) throw conflict('module_exists', `A module "${entry.module}" exists again; rename it first, then restore`);
    const findings = checkDefinitions([entry.definition], { existing: new Map(stored.map((s) => [s.name, s.definition])) });
    if (findings.length > 0) throw new DefinitionError(findings);
    const graph = buildGraph([...stored.map((s) => s.definition), entry.definition]);
    const module = graph.modules.get(entry.module)!;
    const q = (s: string) => db.quote(s);
    const ops = new TableOps(db);
    const kept = await ops.columns(entry.table);
    const columns = [...module.fields.values()].filter((f) => !f.internal && kept.has(f.column)).map((f) => q(f.column)).join(', ');
    const copy = async (tx?: import('sequelize').Transaction) => {
      await registry.save({ name: entry.module, source: 'api', definition: entry.definition }, tx);
      await syncTables(db, graph, [...graph.modules.keys()], tx);
      const restoring = new TableOps(db, tx);
      await restoring.run(`INSERT INTO ${q(module.table)} (${columns}) SELECT ${columns} FROM ${q(entry.table)}`);
      for (const [relation, table] of Object.entries(entry.junctions)) {
        const rel = module.relations.get(relation);
        if (rel?.kind === 'many-to-many') await restoring.run(`INSERT INTO ${q(rel.junction!.table)} (${q('source')}, ${q('target')}) SELECT ${q('source')}, ${q('target')} FROM ${q(table)} t WHERE t.${q('target')} IN (SELECT ${q('id')} FROM ${q(rel.target)})`);
      }
      await new ScopeColumns(db, graph).rebuild(module, tx);
      await syncTrigramIndexes(db, graph, buildGraph(stored.map((s) => s.definition)), tx);
      await new Trash(db).remove(entry, tx);
      await registry.bump(tx);
    };
    if (db.dialect.name === 'sqlite') await db.transaction(copy);
    else await copy();
    return { module: entry.module };
  });
}
