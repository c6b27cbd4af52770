/**
 * Deleting a referenced record: refused with 409 `referenced` (naming module and count) for a
 * restricting reference, the default; `x-on-delete: cascade` and `set-null` do what they say.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type Reply, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { countOf, create, defineCrm, departments, expectStatus, idsOf } from './crm.js';

function referenced(r: Reply) {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 409, code: 'referenced' });
  return r.body.error;
}

describeEachDialect('deleting referenced records', (dialect) => {
  let app: TestApp;
  let admin: Client;

  const exists = async (module: string, id: number) => (await admin.get(`/api/data/${module}/${id}`)).status === 200;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await defineCrm(admin);
  });
  afterAll(() => app?.close());

  it('a restricting reference refuses the delete with 409, naming the module, field and count; nothing is deleted', async () => {
    const sam = await create(admin, 'salesman', { name: 'Sam' });
    const orders = [
      await create(admin, 'order', { number: 'R-1', amount: 1, salesman: sam }),
      await create(admin, 'order', { number: 'R-2', amount: 2, salesman: sam }),
    ];
    const e = referenced(await admin.delete(`/api/data/salesman/${sam}`));
    expect(e.references).toEqual([{ module: 'order', field: 'salesman', count: 2 }]);
    expect(e.message).toContain('2 order records');
    expect(await exists('salesman', sam)).toBe(true);
    expect(await idsOf(admin, 'order', { salesman: sam })).toEqual(orders);
  });

  it('a built-in module is protected the same way: a department with salesmen', async () => {
    const d = await departments(admin, ['0099']);
    await create(admin, 'salesman', { name: 'In 0099', department: d['0099'] });
    const e = referenced(await admin.delete(`/api/data/department/${d['0099']}`));
    expect(e.references).toEqual([{ module: 'salesman', field: 'department', count: 1 }]);
    expect(await exists('department', d['0099']!)).toBe(true);
  });

  it('once the references are gone the delete succeeds', async () => {
    const sam = await create(admin, 'salesman', { name: 'Temp' });
    const order = await create(admin, 'order', { number: 'R-3', amount: 3, salesman: sam });
    referenced(await admin.delete(`/api/data/salesman/${sam}`));
    expectStatus(await admin.patch(`/api/data/order/${order}`, { salesman: null }), 200);
    expect((await admin.delete(`/api/data/salesman/${sam}`)).status).toBe(204);
    expect(await exists('salesman', sam)).toBe(false);
  });

  it('set-null: deleting a salesman empties the customers\' reference and keeps the customers', async () => {
    const sam = await create(admin, 'salesman', { name: 'Leaving' });
    const kept = await create(admin, 'salesman', { name: 'Staying' });
    const mine = [await create(admin, 'customer', { name: 'SN 1', salesman: sam }), await create(admin, 'customer', { name: 'SN 2', salesman: sam })];
    const other = await create(admin, 'customer', { name: 'SN 3', salesman: kept });
    expect((await admin.delete(`/api/data/salesman/${sam}`)).status).toBe(204);
    for (const id of mine) expect((await admin.get(`/api/data/customer/${id}`)).body).toMatchObject({ id, salesman: null });
    expect((await admin.get(`/api/data/customer/${other}`)).body.salesman).toBe(kept);
  });

  it('cascade: deleting a customer deletes its follow-ups, and only its own', async () => {
    const doomed = await create(admin, 'customer', { name: 'Cascade' });
    const survivor = await create(admin, 'customer', { name: 'Survivor' });
    for (const day of ['2024-01-01', '2024-01-02']) await create(admin, 'followup', { customer: doomed, date: day, method: 'phone' });
    const kept = await create(admin, 'followup', { customer: survivor, date: '2024-01-03', method: 'visit' });
    const before = await countOf(admin, 'followup');
    expect((await admin.delete(`/api/data/customer/${doomed}`)).status).toBe(204);
    expect(await countOf(admin, 'followup')).toBe(before - 2);
    expect(await idsOf(admin, 'followup', { customer: doomed })).toEqual([]);
    expect(await idsOf(admin, 'followup', { customer: survivor })).toEqual([kept]);
  });

  it('a restricting reference wins over a cascading one: nothing cascades when the delete is refused', async () => {
    const cu = await create(admin, 'customer', { name: 'Has orders' });
    const f = await create(admin, 'followup', { customer: cu, date: '2024-02-01' });
    await create(admin, 'order', { number: 'R-4', amount: 4, customer: cu });
    const e = referenced(await admin.delete(`/api/data/customer/${cu}`));
    expect(e.references).toEqual([{ module: 'order', field: 'customer', count: 1 }]);
    expect(await exists('customer', cu)).toBe(true);
    expect(await exists('followup', f)).toBe(true);
  });

  it('cascade over two levels of data: an order takes its lines with it', async () => {
    const order = await create(admin, 'order', { number: 'R-5', amount: 5 });
    const other = await create(admin, 'order', { number: 'R-6', amount: 6 });
    await create(admin, 'orderline', { order, product: 'a' });
    await create(admin, 'orderline', { order, product: 'b' });
    const keep = await create(admin, 'orderline', { order: other, product: 'c' });
    expect((await admin.delete(`/api/data/order/${order}`)).status).toBe(204);
    expect(await idsOf(admin, 'orderline', { order })).toEqual([]);
    expect(await idsOf(admin, 'orderline', {})).toEqual([keep]);
  });

  it('many-to-many: deleting a tag removes it from customers; deleting a customer keeps its tags', async () => {
    const a = await create(admin, 'tag', { name: 'del-a' });
    const b = await create(admin, 'tag', { name: 'del-b' });
    const cu = await create(admin, 'customer', { name: 'Tagged', tags: [a, b] });
    const cu2 = await create(admin, 'customer', { name: 'Tagged 2', tags: [b] });
    expect((await admin.delete(`/api/data/tag/${a}`)).status).toBe(204);
    expect((await admin.get(`/api/data/customer/${cu}`)).body.tags).toEqual([b]);
    expect(await idsOf(admin, 'customer', { tags: { some: { name: 'del-a' } } })).toEqual([]);
    expect((await admin.delete(`/api/data/customer/${cu}`)).status).toBe(204);
    expect(await exists('tag', b)).toBe(true);
    expect((await admin.get(`/api/data/customer/${cu2}`)).body.tags).toEqual([b]);
    const tagged = expectStatus(await admin.get(`/api/data/customer?${filterParam({ tags: { some: { id: b } } })}`), 200).body;
    expect(tagged.data.map((c: { id: number }) => c.id)).toEqual([cu2]);
  });
});
