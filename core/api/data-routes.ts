import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { aggregateRecords, getRecord, listRecords } from '../data/read-records.js';
import { createRecord, deleteRecord, updateRecord } from '../data/write-records.js';
import { bulkRecords } from '../data/bulk-records.js';
import { exportCsv } from '../data/export-records.js';
import { restoreRecord } from '../data/soft-delete.js';
import { historyRoute, revertRoute } from '../plugins/builtin/audit/routes.js';
import { badRequest } from '../errors.js';

const ID = '{[1-9][0-9]{0,14}}';

/** The generic REST API of every module: `/api/data/<module>…` (API.md "Records"). */
export const dataRoutes = new Hono<AppEnv>()
  .get('/:module', async (c) => {
    const data = c.get('data');
    return c.json(await listRecords(data, data.module(c.req.param('module')), c.req.query()));
  })
  .get('/:module/aggregate', async (c) => {
    const data = c.get('data');
    return c.json(await aggregateRecords(data, data.module(c.req.param('module')), c.req.query()));
  })
  .get('/:module/export', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const csv = await exportCsv(data, module, c.req.query());
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${module.name}.csv"`);
    return c.body(csv);
  })
  .post('/:module/bulk', async (c) => {
    const data = c.get('data');
    return c.json(await bulkRecords(data, data.module(c.req.param('module')), await jsonBody(c)));
  })
  .get(`/:module/:id${ID}`, async (c) => {
    const data = c.get('data');
    const record = await getRecord(data, data.module(c.req.param('module')), Number(c.req.param('id')), c.req.query('fields'));
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  })
  .post('/:module', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    return c.json(await createRecord(data, module, await jsonBody(c)), 201);
  })
  .patch(`/:module/:id${ID}`, async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const record = await updateRecord(data, module, Number(c.req.param('id')), await jsonBody(c), c.req.header('if-match'));
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  })
  .delete(`/:module/:id${ID}`, async (c) => {
    const data = c.get('data');
    const purge = c.req.query('purge');
    if (purge !== undefined && purge !== 'true' && purge !== 'false') throw badRequest('invalid_query', 'purge must be true or false', [{ path: '/purge', message: 'must be true or false' }]);
    await deleteRecord(data, data.module(c.req.param('module')), Number(c.req.param('id')), undefined, purge === 'true');
    return c.body(null, 204);
  })
  .get(`/:module/:id${ID}/history`, historyRoute)
  .post(`/:module/:id${ID}/revert`, revertRoute)
  .post(`/:module/:id${ID}/restore`, async (c) => {
    const data = c.get('data');
    const record = await restoreRecord(data, data.module(c.req.param('module')), Number(c.req.param('id')));
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  });
