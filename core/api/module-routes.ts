import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../errors.js';
import { checkDefinitions } from '../schema/check-definitions.js';
import { DefinitionError } from '../schema/finding.js';
import { refuseNonAdditive } from '../schema/additive-change.js';
import { buildGraph } from '../schema/build-graph.js';
import type { JsonSchema } from '../schema/module.js';
import { syncTables } from '../db/ddl.js';
import type { Stratum } from '../stratum.js';
import { ScopeCounts } from '../data/scope-counts.js';
import { tightenedFieldErrors } from '../data/tightened-fields.js';
import { ScopeColumns } from '../data/scope-column.js';
import { syncTrigramIndexes, TrigramPostings } from '../search/trigram-table.js';

/** `/api/modules`: define modules at runtime (admin only). Effective on the next request, in every process. */
export const moduleRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.get('access').actor.isAdmin) throw forbidden('modules:admin', 'Only admins may read or change module definitions');
    await next();
  })
  .get('/', async (c) => {
    const defs = await c.get('stratum').registry.definitions();
    return c.json({ data: defs.map((d) => ({ name: d.name, source: d.source, definition: d.definition })) });
  })
  .get('/:module', async (c) => {
    const def = (await c.get('stratum').registry.definitions()).find((d) => d.name === c.req.param('module'));
    if (!def) throw notFound(`Module "${c.req.param('module').slice(0, 64)}"`);
    return c.json({ name: def.name, source: def.source, definition: def.definition });
  })
  .post('/', async (c) => {
    const stratum = c.get('stratum');
    const def = (await jsonBody(c)) as JsonSchema;
    const stored = await stratum.registry.definitions();
    if (stored.some((s) => s.name === def?.$id)) {
      throw conflict('module_exists', `A module "${String(def.$id)}" exists already; change it with PUT /api/modules/${String(def.$id)}`);
    }
    await apply(stratum, def, stored.map((s) => s.definition), 'api');
    return c.json({ name: def.$id, source: 'api', definition: def }, 201);
  })
  .put('/:module', async (c) => {
    const stratum = c.get('stratum');
    const name = c.req.param('module');
    const def = (await jsonBody(c)) as JsonSchema;
    const stored = await stratum.registry.definitions();
    const before = stored.find((s) => s.name === name);
    if (!before) throw notFound(`Module "${name.slice(0, 64)}"`);
    if (before.source !== 'api') throw forbidden('modules:admin', `Module "${name}" is defined in ${before.source === 'builtin' ? 'the engine' : 'metadata/'} files; change it there`);
    if (def?.$id !== name) throw badRequest('invalid_definition', 'The definition must keep its $id', [{ path: '/$id', message: `must be "${name}"` }]);
    const others = stored.filter((s) => s.name !== name).map((s) => s.definition);
    checkOrThrow(def, others);
    const refused = refuseNonAdditive(before.definition, def);
    if (refused.length > 0) throw badRequest('change_unsupported', 'This change would alter or drop stored data; nothing was changed', refused);
    const violated = await tightenedFieldErrors(stratum.db, before.definition, def);
    if (violated.length > 0) throw new HttpError(409, 'existing_data_violates', 'Stored records break the changed definition; nothing was changed', violated);
    await apply(stratum, def, others, 'api', before.definition);
    return c.json({ name, source: 'api', definition: def });
  })
  .delete('/:module', async (c) => {
    const stratum = c.get('stratum');
    const name = c.req.param('module');
    const stored = await stratum.registry.definitions();
    const def = stored.find((s) => s.name === name);
    if (!def) throw notFound(`Module "${name.slice(0, 64)}"`);
    if (def.source !== 'api') throw forbidden('modules:admin', `Module "${name}" is defined in files; remove it there`);
    const graph = buildGraph(stored.map((s) => s.definition));
    const users = [...graph.modules.values()].filter((m) => m.name !== name && ([...m.fields.values()].some((f) => f.ref === name) || [...m.relations.values()].some((r) => r.target === name)));
    if (users.length > 0) throw conflict('module_referenced', `Modules ${users.map((m) => m.name).join(', ')} refer to "${name}"; remove those references first`);
    const module = graph.modules.get(name)!;
    const qi = stratum.db.sequelize.getQueryInterface();
    for (const rel of module.relations.values()) if (rel.kind === 'many-to-many') await qi.dropTable(rel.junction!.table);
    await qi.dropTable(module.table);
    await ScopeCounts.forget(stratum.db, name);
    await TrigramPostings.forget(stratum.db, name);
    await stratum.registry.remove(name);
    await stratum.registry.bump();
    return c.body(null, 204);
  });

function checkOrThrow(def: JsonSchema, others: JsonSchema[]) {
  const existing = new Map<string, unknown>(others.map((d) => [String(d.$id), d]));
  const findings = checkDefinitions([def], { existing });
  if (findings.length > 0) throw new DefinitionError(findings);
}

/** Checks, saves and builds the table; on a database failure the stored definition is restored. */
async function apply(stratum: Stratum, def: JsonSchema, others: JsonSchema[], source: 'api', before?: JsonSchema) {
  checkOrThrow(def, others);
  const graph = buildGraph([...others, def]);
  await stratum.registry.save({ name: String(def.$id), definition: def, source });
  try {
    // Every module: a new reference can give another module a scope path, and so a `_scope` column.
    const added = await syncTables(stratum.db, graph, [...graph.modules.keys()]);
    const old = buildGraph([...others, ...(before ? [before] : [])]);
    await new ScopeColumns(stratum.db, graph).rebuildChanged(old, added);
    await syncTrigramIndexes(stratum.db, graph, old);
  } catch (e) {
    if (before) await stratum.registry.save({ name: String(def.$id), definition: before, source });
    else await stratum.registry.remove(String(def.$id));
    throw new HttpError(409, 'ddl_failed', `The database refused the change (${(e as Error).message.slice(0, 200)}); nothing was changed`);
  } finally {
    await stratum.registry.bump();
  }
}
