import { Hono, type Context } from 'hono';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { isTrue } from './query-flag.js';
import { queryOf } from './known-parameters.js';
import { badRequest, conflict, forbidden, HttpError, httpError, notFound } from '../errors.js';
import { planChange, planDrop, splitMigration } from '../schema/plan-change.js';
import { applyChange, dryRun, oneAtATime } from '../migrate/apply-change.js';
import { checkDefinition, createModule } from '../migrate/create-module.js';
import { othersAfterRenames } from '../schema/renamed-others.js';
import { ChangeLog } from '../migrate/change-log.js';
import { purgeToken, restoreFromTrash } from '../migrate/restore.js';
import { Trash } from '../migrate/trash.js';
import type { JsonSchema } from '../schema/module.js';

/** `/api/modules`: define modules at runtime (admin only). Effective on the next request, in every process. */
export const moduleRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.get('access').actor.isAdmin) throw forbidden('modules:admin', 'Only admins may read or change module definitions');
    await next();
  })
  .get('/', async (c) => {
    queryOf(c, 'modules.list');
    const defs = await c.get('stratum').registry.definitions();
    return c.json({ data: defs.map((d) => ({ name: d.name, source: d.source, definition: d.definition })) });
  })
  .get('/trash', async (c) => {
    queryOf(c, 'modules.trash');
    const entries = await new Trash(c.get('stratum').db).list();
    return c.json({ data: entries.map(({ table: _t, junctions: _j, ...e }) => e) });
  })
  .get('/:module', async (c) => {
    queryOf(c, 'modules.get');
    const def = (await c.get('stratum').registry.definitions()).find((d) => d.name === c.req.param('module'));
    if (!def) throw notFound(`Module "${c.req.param('module').slice(0, 64)}"`);
    return c.json({ name: def.name, source: def.source, definition: def.definition });
  })
  .post('/', async (c) => {
    queryOf(c, 'modules.create');
    const stratum = c.get('stratum');
    const { definition: def } = splitMigration(await definitionBody(c));
    const stored = await stratum.registry.definitions();
    if (stored.some((s) => s.name === def?.$id)) {
      throw conflict('module_exists', `A module "${String(def.$id)}" exists already; change it with PUT /api/modules/${String(def.$id)}`);
    }
    await createModule(stratum.db, stratum.registry, def, stored.map((s) => s.definition));
    return c.json({ name: def.$id, source: 'api', definition: def }, 201);
  })
  .post('/trash/:entry/restore', async (c) => {
    queryOf(c, 'modules.trash.restore');
    const stratum = c.get('stratum');
    const restored = await restoreFromTrash(stratum.db, stratum.registry, entryId(c.req.param('entry')), actorOf(c));
    return c.json({ restored });
  })
  .delete('/trash/:entry', async (c) => {
    const query = queryOf(c, 'modules.trash.purge');
    const stratum = c.get('stratum');
    const trash = new Trash(stratum.db);
    const entry = await trash.get(entryId(c.req.param('entry')));
    if (!entry) throw notFound(`Trash entry ${c.req.param('entry').slice(0, 16)}`);
    const token = purgeToken(entry);
    if (query.confirm !== token) {
      throw httpError(409, 'confirmation_required', `Purging deletes ${entry.rows} stored row${entry.rows === 1 ? '' : 's'} for good; send DELETE again with ?confirm=${token}`, [], { token });
    }
    await oneAtATime(stratum.db, () => trash.remove(entry));
    return c.body(null, 204);
  })
  .get('/:module/changes', async (c) => {
    queryOf(c, 'modules.changes');
    const changes = await new ChangeLog(c.get('stratum').db).list({ module: c.req.param('module') });
    return c.json({ data: changes });
  })
  .put('/:module', async (c) => {
    const query = queryOf(c, 'modules.update');
    const dry = isTrue(query.dryRun);
    const stratum = c.get('stratum');
    const name = c.req.param('module');
    const { definition, migration } = splitMigration(await definitionBody(c));
    const stored = await stratum.registry.definitions();
    const before = stored.find((s) => s.name === name);
    if (!before) throw notFound(`Module "${name.slice(0, 64)}"`);
    if (before.source !== 'api') throw forbidden('modules:admin', `Module "${name}" is defined in ${before.source === 'builtin' ? 'the engine' : 'metadata/'} files; change it there`);
    const others = stored.filter((s) => s.name !== name).map((s) => s.definition);
    const change = planChange(before.definition, definition, migration, others);
    if (change.blockers.some((b) => b.path === '/$id')) throw badRequest('invalid_definition', 'The definition must keep its $id (rename a module with x-migration.moduleRename)', change.blockers.filter((b) => b.path === '/$id'));
    // Checked against the others as the plan's switch will leave them: their references follow the renames.
    checkDefinition(change.after!, [...othersAfterRenames(new Map(stored.map((s) => [s.name, s.definition])), name, migration).values()]);
    if (dry) return c.json({ plan: await dryRun(stratum.db, stratum.registry, change) });
    await applyChange(stratum.db, stratum.registry, change, { actor: actorOf(c), origin: 'api', confirm: query.confirm });
    return c.json({ name: change.newName, source: 'api', definition: change.after });
  })
  .delete('/:module', async (c) => {
    const query = queryOf(c, 'modules.delete');
    const dry = isTrue(query.dryRun);
    const stratum = c.get('stratum');
    const name = c.req.param('module');
    const stored = await stratum.registry.definitions();
    const def = stored.find((s) => s.name === name);
    if (!def) throw notFound(`Module "${name.slice(0, 64)}"`);
    if (def.source !== 'api') throw forbidden('modules:admin', `Module "${name}" is defined in files; remove it there`);
    const change = planDrop(def.definition, stored.filter((s) => s.name !== name).map((s) => s.definition));
    if (dry) return c.json({ plan: await dryRun(stratum.db, stratum.registry, change) });
    const blocker = change.blockers.find((b) => b.code === 'module_referenced');
    if (blocker) throw conflict('module_referenced', `${blocker.message}; ${blocker.hint}`);
    const plan = await applyChange(stratum.db, stratum.registry, change, { actor: actorOf(c), origin: 'api', confirm: query.confirm });
    return c.json({ plan, trash: (await new Trash(stratum.db).list()).filter((e) => e.kind === 'module' && e.module === name).slice(0, 1).map(({ table: _t, junctions: _j, ...e }) => e) });
  });

function entryId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw notFound(`Trash entry ${raw.slice(0, 16)}`);
  return id;
}

function actorOf(c: Context<AppEnv>) {
  const actor = c.get('access').actor;
  return { id: actor.id, username: actor.username };
}

/** The body of POST and PUT: a definition, which is an object (its shape is checkDefinition's). */
async function definitionBody(c: Context<AppEnv>): Promise<JsonSchema> {
  const body = await jsonBody(c);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('invalid_definition', 'A module definition is a JSON object: {"$id": "…", "type": "object", "properties": {…}}; nothing was created or changed', [{ path: '', message: 'must be an object' }]);
  }
  return body as JsonSchema;
}
