import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus, idsOf, listIds, ok, sorted, tableRow } from '../access/helpers.js';
import { ScopeCounts } from '../../core/data/scope-counts.js';
import { visibleWhere } from '../../core/data/visible.js';
import { and, compare } from '../../core/query/ast.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { definePlugin } from '../../core/plugins/define-plugin.js';
import { countDrift as countDriftOf } from '../support/count-drift.js';

/**
 * Soft delete (`"x-soft-delete": true`): a DELETE keeps the row, and every read
 * path of the engine then behaves as if it were gone — lists, totals (maintained counts
 * included), single reads, aggregates, exports, embedded records, related-record filters and
 * references from writes — until it is restored. The seed-003 world's `order` gets the option
 * through PUT, as an admin would add it to a module that already has records.
 */
/** A plugin that watches restores on every module (`'*'` hooks, docs/PLUGINS.md). */
const restored: { module: string; id: number; deletedAt: unknown; actor: string; inTransaction: boolean }[] = [];
const committed: number[] = [];
const watcher = definePlugin<Record<string, Record<string, unknown>>>({
  name: 'restore_watch',
  version: '1.0.0',
  hooks: {
    '*': {
      afterRestore(record, ctx) {
        restored.push({ module: ctx.module, id: Number(record.id), deletedAt: record.deletedAt, actor: ctx.actor.username, inTransaction: ctx.inTransaction === true });
      },
      afterRestoreCommit(record) {
        committed.push(Number(record.id));
      },
    },
  },
});

describeEachDialect('soft delete hides a record from every read path until it is restored', (dialect) => {
  let app: TestApp;
  let w: World;
  let admin: Client;
  let s2: Client;
  let s2Id: number;
  const q = (s: string) => app.stratum.db.quote(s);

  const countDrift = () => countDriftOf(app.stratum);
  const total = async (client: Client, module: string, filter?: unknown) =>
    expectStatus(await client.get(`/api/data/${module}?pageSize=1${filter === undefined ? '' : `&${filterParam(filter)}`}`), 200).body.meta.total as number;
  const mine = () => w.orders.filter((o) => o.salesmanDept === '001002');
  const orderNumber = (id: number) => `o${w.orders.findIndex((o) => o.id === id)}`;

  beforeAll(async () => {
    restored.length = 0;
    committed.length = 0;
    app = await startTestApp(dialect, { plugins: [watcher] });
    w = await buildSeed003(app);
    admin = await app.admin();
    // sales_001002 may delete (and so restore) orders of their department; staff may only read.
    const writer = (await ok(admin.post('/api/data/role', { name: 'writer' }))).id;
    await ok(admin.post('/api/data/permission', { role: writer, module: 'order', actions: ['read', 'create', 'update', 'delete'] }));
    await ok(admin.post('/api/data/permission', { role: writer, module: 'orderline', actions: ['read', 'create', 'update'] }));
    s2Id = w.users.sales_001002!.id;
    await ok(admin.patch(`/api/data/user/${s2Id}`, { roles: [w.roles.staff, writer] }), 200);
    s2 = w.users.sales_001002!.client;
    // customer.orders: to filter customers by their orders (a to-many predicate).
    const customer = (await ok(admin.get('/api/modules/customer'), 200)).definition;
    await ok(admin.put('/api/modules/customer', { ...customer, properties: { ...customer.properties, orders: { type: 'array', 'x-inverse': 'order.customer' } } }), 200);
  });
  afterAll(async () => app?.close());

  it('is added to a module that has records through PUT: the table gains deletedAt and deletedBy, null on every record', async () => {
    const order = (await ok(admin.get('/api/modules/order'), 200)).definition;
    await ok(admin.put('/api/modules/order', { ...order, 'x-soft-delete': true }), 200);
    const columns = await app.stratum.db.sequelize.getQueryInterface().describeTable('order');
    expect(Object.keys(columns)).toEqual(expect.arrayContaining(['deletedAt', 'deletedBy']));
    const one = await ok(admin.get(`/api/data/order/${w.orders[0]!.id}`), 200);
    expect(one).toMatchObject({ deletedAt: null, deletedBy: null });
    expect(await total(admin, 'order')).toBe(w.orders.length);
  });

  it('cannot be turned off again: the deleted records would come back', async () => {
    const order = (await ok(admin.get('/api/modules/order'), 200)).definition;
    const { ['x-soft-delete']: _, ...without } = order;
    const r = await admin.put('/api/modules/order', without);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: '/x-soft-delete', code: 'change_unsupported' })]);
  });

  it('refuses a definition whose property would be one of the columns it adds', async () => {
    const r = await admin.post('/api/modules', {
      $id: 'memo', type: 'object', 'x-soft-delete': true, properties: { deletedat: { type: 'string', format: 'date-time' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: '/properties/deletedat', code: 'name_reserved' })]);
    // Without the option the name is an ordinary property.
    await ok(admin.post('/api/modules', { $id: 'memo', type: 'object', properties: { deletedAt: { type: 'string', format: 'date-time' } } }));
  });

  it('DELETE keeps the row, marked with when and by whom, and the record is gone from get, list, totals and counts', async () => {
    const victim = mine()[0]!;
    const before = { s2: await total(s2, 'order'), admin: await total(admin, 'order') };
    expectStatus(await s2.delete(`/api/data/order/${victim.id}`), 204);

    const row = await tableRow(app, 'order', victim.id);
    expect(row).toBeDefined();
    expect(Number(row!.deletedBy)).toBe(s2Id);
    expect(row!.deletedAt).not.toBeNull();
    expect(Number(row!.version)).toBe(2);

    expect((await s2.get(`/api/data/order/${victim.id}`)).status).toBe(404);
    expect((await admin.get(`/api/data/order/${victim.id}`)).status).toBe(404);
    expect(await listIds(s2, 'order')).toEqual(sorted(mine().slice(1).map((o) => o.id)));
    expect(await listIds(admin, 'order')).not.toContain(victim.id);
    // The totals of a department-only list come from the maintained counts: they moved with it.
    expect(await total(s2, 'order')).toBe(before.s2 - 1);
    expect(await total(admin, 'order')).toBe(before.admin - 1);
    expect(await total(s2, 'order', { amount: { gte: 0 } })).toBe(before.s2 - 1);
    expect((await s2.get('/api/data/order?pageSize=1&total=capped')).body.meta.total).toBe(before.s2 - 1);
    expect(await countDrift()).toEqual([]);
    // Deleting it again: there is nothing to delete.
    expect((await s2.delete(`/api/data/order/${victim.id}`)).status).toBe(404);
    expect((await s2.patch(`/api/data/order/${victim.id}`, { amount: 1 })).status).toBe(404);
  });

  it('the maintained counts answer a soft-delete module\'s department-only totals (no COUNT over the table)', async () => {
    const graph = await app.stratum.registry.graph();
    const order = graph.modules.get('order')!;
    const live = and(compare('_scope', 'startsWith', '001002'), compare('deletedAt', 'isNull', true));
    expect(ScopeCounts.total(app.stratum.db, order, live)).toBeDefined();
    // Without the live condition (the trash) the counts do not know.
    expect(ScopeCounts.total(app.stratum.db, order, compare('_scope', 'startsWith', '001002'))).toBeUndefined();
    expect(ScopeCounts.total(app.stratum.db, order, and(compare('_scope', 'startsWith', '001002'), compare('deletedAt', 'isNull', false)))).toBeUndefined();
    // And the condition visibleWhere gives an admin's list is one of them.
    const access = { actor: { id: 1, username: 'admin', name: null, isAdmin: true }, variables: { now: new Date(), user: { id: 1, username: 'admin' } }, require: () => undefined, scope: () => and(), canRead: () => true, canWrite: () => true };
    expect(ScopeCounts.total(app.stratum.db, order, visibleWhere(order, 'read', and(), access, graph))).toBeDefined();
  });

  it('aggregates, exports, searches and the trash-blind filters skip a deleted record', async () => {
    const victim = mine()[1]!;
    const sumBefore = (await ok(s2.get('/api/data/order/aggregate?metrics=count(),sum(amount)'), 200)).data[0];
    expectStatus(await s2.delete(`/api/data/order/${victim.id}`), 204);
    const sumAfter = (await ok(s2.get('/api/data/order/aggregate?metrics=count(),sum(amount)'), 200)).data[0];
    expect(sumAfter['count()']).toBe(sumBefore['count()'] - 1);
    expect(sumAfter['sum(amount)']).toBeCloseTo(sumBefore['sum(amount)'] - victim.amount, 2);
    const grouped = (await ok(admin.get(`/api/data/order/aggregate?groupBy=number&${filterParam({ number: orderNumber(victim.id) })}`), 200)).data;
    expect(grouped).toEqual([]);

    const csv = String((await s2.get('/api/data/order/export?fields=number')).body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(csv.slice(1).map((l) => Number(l.split(',')[0]))).not.toContain(victim.id);
    expect(csv.length - 1).toBe(mine().length - 2);

    expect(await total(admin, 'order', { number: orderNumber(victim.id) })).toBe(0);
    expect((await admin.get(`/api/data/order?q=${orderNumber(victim.id)}`)).body.data.map((o: { id: number }) => o.id)).not.toContain(victim.id);
  });

  it('embedded records and related-record filters treat a deleted record as absent', async () => {
    const victim = mine()[0]!;
    const line = w.lines.find((l) => l.order === victim.id)!;
    // The line itself stays (nothing was removed), but its order reads as absent…
    const embedded = await ok(admin.get(`/api/data/orderline/${line.id}?fields=amount,order.number`), 200);
    expect(embedded.order).toBeNull();
    // …and a filter through the reference does not reach it.
    expect(await listIds(admin, 'orderline', { 'order.number': orderNumber(victim.id) })).toEqual([]);
    expect(await listIds(admin, 'orderline', { 'order.id': { isNull: false } })).not.toContain(line.id);
    // A to-many predicate sees only live orders.
    const customer = (await ok(admin.get(`/api/data/order?${filterParam({ id: mine()[2]!.id })}&fields=customer`), 200)).data[0].customer;
    const withVictim = await listIds(admin, 'customer', { orders: { some: { id: victim.id } } });
    expect(withVictim).toEqual([]);
    expect(await listIds(admin, 'customer', { orders: { some: { id: mine()[2]!.id } } })).toEqual([customer]);
  });

  it('refuses a create or update that refers to a deleted record, as to one that does not exist', async () => {
    const victim = mine()[0]!;
    const created = await s2.post('/api/data/orderline', { order: victim.id, amount: 1 });
    expect(created.status).toBe(400);
    expect(created.body.error.details).toEqual([expect.objectContaining({ path: '/order', code: 'invalid_reference' })]);
    const line = w.lines.find((l) => l.order === mine()[2]!.id)!;
    const moved = await admin.patch(`/api/data/orderline/${line.id}`, { order: victim.id });
    expect(moved.status).toBe(400);
    expect(moved.body.error.details[0].code).toBe('invalid_reference');
  });

  it('deleted=only lists the trash: deleted records the caller may restore, only with the delete permission', async () => {
    const other = w.orders.find((o) => o.salesmanDept === '001001')!;
    expectStatus(await admin.delete(`/api/data/order/${other.id}`), 204);
    const trash = expectStatus(await s2.get('/api/data/order?deleted=only&sort=id'), 200);
    expect(idsOf(trash)).toEqual(sorted([mine()[0]!.id, mine()[1]!.id]));
    expect(trash.body.meta.total).toBe(2);
    expect(trash.body.data[0]).toMatchObject({ deletedBy: s2Id });
    expect(trash.body.data[0].deletedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(idsOf(await admin.get('/api/data/order?deleted=only&pageSize=500'))).toEqual(sorted([mine()[0]!.id, mine()[1]!.id, other.id]));
    // Filters apply inside the trash too.
    expect(idsOf(await s2.get(`/api/data/order?deleted=only&${filterParam({ number: orderNumber(mine()[1]!.id) })}`))).toEqual([mine()[1]!.id]);
    // staff may read orders but not delete them: no trash.
    expect((await w.users.sales_001001!.client.get('/api/data/order?deleted=only')).status).toBe(403);
    expect((await admin.get('/api/data/customer?deleted=only')).body.error.code).toBe('soft_delete_off');
    const bad = await admin.get('/api/data/order?deleted=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('/deleted');
  });

  it('restore brings a record back into every read path and its department\'s count', async () => {
    const victim = mine()[1]!;
    const before = await total(s2, 'order');
    const r = expectStatus(await s2.post(`/api/data/order/${victim.id}/restore`), 200);
    expect(r.body).toMatchObject({ id: victim.id, deletedAt: null, deletedBy: null, updatedBy: s2Id, version: 3 });
    expect(r.headers.get('etag')).toBe('"3"');
    expect((await ok(s2.get(`/api/data/order/${victim.id}`), 200)).id).toBe(victim.id);
    expect(await total(s2, 'order')).toBe(before + 1);
    expect(await countDrift()).toEqual([]);
    expect(idsOf(await s2.get('/api/data/order?deleted=only'))).toEqual([mine()[0]!.id]);
    // A live record has nothing to restore.
    expect((await s2.post(`/api/data/order/${victim.id}/restore`)).body.error.code).toBe('not_deleted');
    // Plugins hear of it: afterRestore in the transaction, with the record live again, then after the commit.
    expect(restored).toEqual([{ module: 'order', id: victim.id, deletedAt: null, actor: 'sales_001002', inTransaction: true }]);
    expect(committed).toEqual([victim.id]);
  });

  it('restore needs the delete permission and the record in the caller\'s delete scope', async () => {
    const other = w.orders.find((o) => o.salesmanDept === '001001')!;
    // Another department's deleted order: not theirs to see, so not found.
    expect((await s2.post(`/api/data/order/${other.id}/restore`)).status).toBe(404);
    // Read permission only: refused before anything is looked at.
    const staff = await w.users.sales_001001!.client.post(`/api/data/order/${other.id}/restore`);
    expect(staff.status).toBe(403);
    expect((await tableRow(app, 'order', other.id))!.deletedAt).not.toBeNull();
    expect((await admin.post('/api/data/customer/1/restore')).body.error.code).toBe('soft_delete_off');
  });

  it('a deleted record keeps its unique values: a new one is refused with 409 saying it can be restored', async () => {
    await ok(admin.post('/api/modules', {
      $id: 'tag', type: 'object', 'x-soft-delete': true,
      properties: { label: { type: 'string', maxLength: 30, 'x-unique': true } }, required: ['label'],
    }));
    const tag = await ok(admin.post('/api/data/tag', { label: 'vip' }));
    expectStatus(await admin.delete(`/api/data/tag/${tag.id}`), 204);
    const again = await admin.post('/api/data/tag', { label: 'vip' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'duplicate', existing: { id: tag.id, deleted: true } });
    expect(again.body.error.message).toContain(`/api/data/tag/${tag.id}/restore`);
    expectStatus(await admin.post(`/api/data/tag/${tag.id}/restore`), 200);
    expect((await ok(admin.get(`/api/data/tag/${tag.id}`), 200)).label).toBe('vip');
  });

  it('bulk delete soft-deletes each record, all or nothing', async () => {
    const ids = [mine()[2]!.id, mine()[3]!.id];
    const before = await total(s2, 'order');
    expect((await ok(s2.post('/api/data/order/bulk', { action: 'delete', ids }), 200)).count).toBe(2);
    for (const id of ids) expect(await tableRow(app, 'order', id)).toBeDefined();
    expect(await total(s2, 'order')).toBe(before - 2);
    // One record outside the scope: nothing is deleted.
    const foreign = w.orders.find((o) => o.salesmanDept === '001003')!;
    const refused = await s2.post('/api/data/order/bulk', { action: 'delete', ids: [mine()[4]!.id, foreign.id] });
    expect(refused.status).toBe(404);
    expect((await tableRow(app, 'order', mine()[4]!.id))!.deletedAt).toBeNull();
    expect(await countDrift()).toEqual([]);
  });

  it('the OpenAPI document offers restore, the trash and purge on soft-delete modules, to callers who may delete', async () => {
    const doc = expectStatus(await admin.get('/api/openapi.json'), 200).body;
    expect((await new Validator().validate(doc)).valid).toBe(true);
    expect(doc.paths['/api/data/order/{id}/restore'].post.operationId).toBe('order.restore');
    expect(doc.paths['/api/data/customer/{id}/restore']).toBeUndefined();
    expect(doc.paths['/api/data/order'].get.parameters.map((p: { name?: string }) => p.name)).toContain('deleted');
    expect(doc.paths['/api/data/order/{id}'].delete.parameters.map((p: { name?: string }) => p.name)).toContain('purge');
    expect(doc.components.schemas.order.properties.deletedAt).toMatchObject({ type: ['string', 'null'] });
    const staff = expectStatus(await w.users.sales_001001!.client.get('/api/openapi.json'), 200).body;
    expect(staff.paths['/api/data/order/{id}/restore']).toBeUndefined();
  });

  it('purge removes a deleted record for good: admins only, never a live record, references still refuse it', async () => {
    const tag = await ok(admin.post('/api/data/tag', { label: 'purge me' }));
    expect((await admin.delete(`/api/data/tag/${tag.id}?purge=true`)).body.error.code).toBe('not_deleted');
    expectStatus(await admin.delete(`/api/data/tag/${tag.id}`), 204);
    expectStatus(await admin.delete(`/api/data/tag/${tag.id}?purge=true`), 204);
    expect(await tableRow(app, 'tag', tag.id)).toBeUndefined();
    // Its unique value is free again.
    await ok(admin.post('/api/data/tag', { label: 'purge me' }));

    const victim = mine()[0]!;
    expect((await s2.delete(`/api/data/order/${victim.id}?purge=true`)).status).toBe(403);
    // Its order line still refers to it (x-on-delete restrict): the purge is refused, as a delete would be.
    const refused = await admin.delete(`/api/data/order/${victim.id}?purge=true`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('referenced');
    expect(await tableRow(app, 'order', victim.id)).toBeDefined();
    expect((await admin.delete(`/api/data/order/${victim.id}?purge=maybe`)).status).toBe(400);
    expect((await admin.delete('/api/data/customer/1?purge=true')).body.error.code).toBe('soft_delete_off');
    expect(await countDrift()).toEqual([]);
  });
});
