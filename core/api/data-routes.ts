import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { jsonBody } from './errors.js';
import { aggregateRecords, getRecord, listRecords } from '../data/read-records.js';
import { createRecord, deleteRecord, updateRecord } from '../data/write-records.js';
import { bulkRecords } from '../data/bulk-records.js';
import { exportCsv } from '../data/export-records.js';
import { restoreRecord } from '../data/soft-delete.js';
import { badRequest } from '../errors.js';
import { queryOf } from './known-parameters.js';
import { refuseUnknownFields } from './known-body-fields.js';

const ID = '{[1-9][0-9]{0,14}}';

/** The generic REST API of every module: `/api/data/<module>…` (API.md "Records"). */
export const dataRoutes = new Hono<AppEnv>()
  .get('/:module', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    return c.json(await listRecords(data, module, queryOf(c, 'data.list')));
  })
  .get('/:module/aggregate', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    return c.json(await aggregateRecords(data, module, queryOf(c, 'data.aggregate')));
  })
  .get('/:module/export', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const csv = await exportCsv(data, module, queryOf(c, 'data.export'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${module.name}.csv"`);
    return c.body(csv);
  })
  .post('/:module/bulk', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    queryOf(c, 'data.bulk');
    const body = await jsonBody(c);
    refuseUnknownFields(body, ['action', 'ids', 'values'], 'a bulk request');
    return c.json(await bulkRecords(data, module, body));
  })
  .get(`/:module/:id${ID}`, async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const record = await getRecord(data, module, Number(c.req.param('id')), queryOf(c, 'data.get').fields);
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  })
  .post('/:module', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    queryOf(c, 'data.create');
    return c.json(await createRecord(data, module, await jsonBody(c)), 201);
  })
  .patch(`/:module/:id${ID}`, async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    queryOf(c, 'data.update');
    const record = await updateRecord(data, module, Number(c.req.param('id')), await jsonBody(c), c.req.header('if-match'));
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  })
  .delete(`/:module/:id${ID}`, async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const purge = queryOf(c, 'data.delete').purge;
    if (purge !== undefined && purge !== 'true' && purge !== 'false') throw badRequest('invalid_query', 'purge must be true or false', [{ path: '/purge', message: 'must be true or false' }]);
    await deleteRecord(data, module, Number(c.req.param('id')), undefined, purge === 'true');
    return c.body(null, 204);
  })
  .post(`/:module/:id${ID}/restore`, async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    queryOf(c, 'data.restore');
    const record = await restoreRecord(data, module, Number(c.req.param('id')));
    c.header('ETag', `"${record.version}"`);
    return c.json(record);
  });
