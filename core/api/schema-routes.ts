/**
 * `/api/schema` (admins only): module definitions between environments, in the manner of
 * `directus schema snapshot | apply --dry-run | apply`.
 * - `GET /snapshot`: every stored module (core/schema/schema-snapshot.ts).
 * - `POST /diff` with a snapshot: `{plans, against, skipped, applicable, needsConfirmation}`, the
 *   plan of each API module to create, change or drop here; nothing changes.
 * - `POST /apply` with a snapshot, or `{"snapshot", "against", "confirm": {"<module>": "<token>"}}`
 *   (tokens may also come as `?confirm=<token>,<token>`): applies the plans in order, or
 *   refuses as PUT does (stale_definition, misfits, confirmation_required, change_unsupported).
 */
import { Hono } from 'hono';
import { badRequest, forbidden } from '../errors.js';
import { applySnapshot, diffSnapshot, takeSnapshot, type Confirmations } from '../migrate/apply-snapshot.js';
import { readSnapshot, type Snapshot } from '../schema/schema-snapshot.js';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { queryOf } from './known-parameters.js';
import { refuseUnknownFields } from './known-body-fields.js';

export const schemaRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (!c.get('access').actor.isAdmin) throw forbidden('schema:admin', 'Only admins may read or change module definitions');
    await next();
  })
  .get('/snapshot', async (c) => {
    queryOf(c, 'schema.snapshot');
    return c.json(await takeSnapshot(c.get('stratum').registry));
  })
  .post('/diff', async (c) => {
    queryOf(c, 'schema.diff');
    const stratum = c.get('stratum');
    const { snapshot } = request(await jsonBody(c));
    return c.json((await diffSnapshot(stratum.db, stratum.registry, snapshot)).diff);
  })
  .post('/apply', async (c) => {
    const query = queryOf(c, 'schema.apply');
    const stratum = c.get('stratum');
    const { snapshot, confirm } = request(await jsonBody(c));
    const tokens = new Set((query.confirm ?? '').split(',').filter((t) => t.length > 0));
    const confirmations: Confirmations = (p, op) => confirm[p.module] ?? (tokens.has(p.plan.token) ? p.plan.token : op.confirm);
    const actor = c.get('access').actor;
    return c.json(await applySnapshot(stratum.db, stratum.registry, snapshot, { id: actor.id, username: actor.username }, confirmations));
  });

/** A bare snapshot, or one wrapped with the diff's `against` and the tokens. */
function request(body: unknown): { snapshot: Snapshot; confirm: Record<string, string> } {
  const wrapped = isObject(body) && 'snapshot' in body;
  const raw = wrapped ? body.snapshot : body;
  if (wrapped) refuseUnknownFields(body, ['snapshot', 'against', 'confirm'], 'a snapshot request');
  refuseUnknownFields(raw, ['version', 'modules', 'against'], 'a snapshot', wrapped ? '/snapshot' : '');
  if (isObject(raw) && Array.isArray(raw.modules)) {
    raw.modules.forEach((m, i) => refuseUnknownFields(m, ['name', 'source', 'base', 'definition'], 'a snapshot\'s module', `${wrapped ? '/snapshot' : ''}/modules/${i}`));
  }
  const against = wrapped && body.against !== undefined ? { against: body.against } : {};
  const read = readSnapshot(isObject(raw) ? { ...raw, ...against } : raw);
  if (!read.snapshot) throw badRequest('invalid_snapshot', 'The body is not a snapshot; nothing was changed', read.problems.map((p) => ({ ...p, path: wrapped ? `/snapshot${p.path}` : p.path })));
  const confirm = wrapped && isObject(body.confirm) ? Object.fromEntries(Object.entries(body.confirm).filter(([, v]) => typeof v === 'string')) as Record<string, string> : {};
  return { snapshot: read.snapshot, confirm };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
