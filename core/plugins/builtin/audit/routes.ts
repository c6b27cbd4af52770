/**
 * The history routes of every record, mounted by core/api/data-routes.ts under `/api/data`:
 * engine routes (the record's URL, its visibility) that answer while the audit plugin is enabled.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../../../api/env.js';
import { jsonBody } from '../../../api/errors.js';
import { HttpError } from '../../../errors.js';
import { AUDIT } from './plugin.js';
import { readHistory } from './read-history.js';
import { revertRecord } from './revert.js';

/** `GET /api/data/<m>/<id>/history` */
export async function historyRoute(c: Context<AppEnv>) {
  const data = await auditOn(c);
  return c.json(await readHistory(data, data.module(c.req.param('module')!), Number(c.req.param('id')), c.req.query()));
}

/** `POST /api/data/<m>/<id>/revert {"version": N}` */
export async function revertRoute(c: Context<AppEnv>) {
  const data = await auditOn(c);
  const record = await revertRecord(data, data.module(c.req.param('module')!), Number(c.req.param('id')), await jsonBody(c), c.req.header('if-match'));
  c.header('ETag', `"${record.version}"`);
  return c.json(record);
}

async function auditOn(c: Context<AppEnv>) {
  const data = c.get('data');
  const active = await c.get('stratum').plugins.active(data.graph.generation);
  if (!active.isEnabled(AUDIT)) {
    throw new HttpError(404, 'audit_off', 'Audit history is off: the built-in plugin "audit" is not loaded or is disabled; an admin enables it with POST /api/plugins/audit/enable');
  }
  return data;
}
