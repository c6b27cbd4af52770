/**
 * `POST /api/modules/<m>/changes/<id>/revert` (admins only): a new plan from the module's current
 * definition back to the one it had before change `<id>` (core/migrate/revert-change.ts). Like
 * PUT: `?dryRun=true` answers `{plan}`, a plan that loses data needs `?confirm=<token>`. An
 * optional body `{"x-migration": {"onMisfit": …, "valueMap": …}}` says what becomes of values
 * that do not fit back.
 */
import { Hono, type Context } from 'hono';
import { badRequest, forbidden, notFound } from '../errors.js';
import { applyChange, dryRun } from '../migrate/apply-change.js';
import { checkDefinition } from '../migrate/create-module.js';
import { planRevert } from '../migrate/revert-change.js';
import type { MigrationInput } from '../schema/change-plan.js';
import type { JsonSchema } from '../schema/module.js';
import { splitMigration } from '../schema/plan-change.js';
import { othersAfterRenames } from '../schema/renamed-others.js';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { isTrue } from './query-flag.js';
import { queryOf } from './known-parameters.js';
import { refuseUnknownFields } from './known-body-fields.js';

export const changeRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.get('access').actor.isAdmin) throw forbidden('modules:admin', 'Only admins may read or change module definitions');
    await next();
  })
  .post('/:module/changes/:id/revert', async (c) => {
    const query = queryOf(c, 'modules.changes.revert');
    const dry = isTrue(query.dryRun);
    const stratum = c.get('stratum');
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id < 1) throw notFound(`Change ${c.req.param('id').slice(0, 16)}`);
    const { change, current, others } = await planRevert(stratum.db, stratum.registry, c.req.param('module'), id, await requestedMigration(c));
    // Against the others as its renames leave them (a reference to the module follows its name back).
    checkDefinition(change.after!, [...othersAfterRenames(new Map([...others, current].map((s) => [s.name, s.definition])), current.name, change.migration).values()]);
    if (dry) return c.json({ plan: await dryRun(stratum.db, stratum.registry, change) });
    const actor = c.get('access').actor;
    const plan = await applyChange(stratum.db, stratum.registry, change, { actor: { id: actor.id, username: actor.username }, origin: 'revert', confirm: query.confirm });
    return c.json({ name: change.newName, source: 'api', definition: change.after, plan });
  });

/** The body's x-migration, when there is a body. */
async function requestedMigration(c: Context<AppEnv>): Promise<MigrationInput> {
  if (!c.req.header('content-type')) return {};
  const body = await jsonBody(c);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('invalid', 'The body of a revert is {"x-migration": {…}} or nothing; nothing was changed', [{ path: '', message: 'must be an object' }]);
  }
  refuseUnknownFields(body, ['x-migration'], 'the body of a revert');
  return splitMigration(body as JsonSchema).migration;
}
