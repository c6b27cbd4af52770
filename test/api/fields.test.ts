/** `fields` of `GET /api/data/<m>` and `GET /api/data/<m>/<id>`: paths embed referenced records. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { filterParam, startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { expectStatus, seedSmallCrm } from './crm.js';

describeEachDialect('fields', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let c: Record<string, number>;
  let o: Record<string, number>;
  let s: Record<string, number>;
  let t: Record<string, number>;
  let dept: Record<string, number>;

  const list = async (module: string, query: string) => expectStatus(await admin.get(`/api/data/${module}?${query}`), 200).body;
  const refused = async (url: string) => {
    const r = await admin.get(url);
    expect(r.status).toBe(400);
    return r.body.error;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    ({ dept, s, t, c, o } = await seedSmallCrm(admin));
  });
  afterAll(() => app?.close());

  it('returns only the asked fields and the id', async () => {
    const r = await list('customer', `fields=name,phone&${filterParam({ id: c.alpha })}`);
    expect(r.data).toEqual([{ id: c.alpha, name: 'Alpha Foods', phone: '020-7777' }]);
  });

  it('embeds a referenced record as { id, name }, and a missing one as null', async () => {
    const r = await list('customer', 'fields=name,salesman.name&sort=name');
    expect(r.data).toEqual([
      { id: c.alpha, name: 'Alpha Foods', salesman: { id: s.ann, name: 'Ann' } },
      { id: c.beta, name: 'Beta Tech', salesman: { id: s.bob, name: 'Bob' } },
      { id: c.delta, name: 'Delta 50% Off', salesman: { id: s.ann, name: 'Ann' } },
      { id: c.gamma, name: 'Gamma Tech', salesman: null },
    ]);
  });

  it('embeds through two references; a break at any step is null there', async () => {
    const r = await list('order', 'fields=number,customer.name,salesman.department.code&sort=number');
    expect(r.data).toEqual([
      { id: o.n1, number: 'N-01', customer: { id: c.beta, name: 'Beta Tech' }, salesman: { id: s.ann, department: { id: dept['0010'], code: '0010' } } },
      { id: o.n2, number: 'N-02', customer: null, salesman: { id: s.bob, department: null } },
      { id: o.n3, number: 'N-03', customer: { id: c.alpha, name: 'Alpha Foods' }, salesman: null },
      { id: o.n4, number: 'N-04', customer: { id: c.gamma, name: 'Gamma Tech' }, salesman: { id: s.ann, department: { id: dept['0010'], code: '0010' } } },
      { id: o.n5, number: 'N-05', customer: { id: c.alpha, name: 'Alpha Foods' }, salesman: { id: s.bob, department: null } },
    ]);
  });

  it('a reference and its embedded fields together', async () => {
    const r = await list('order', `fields=customer,customer.phone&${filterParam({ id: o.n1 })}`);
    expect(r.data).toEqual([{ id: o.n1, customer: { id: c.beta, phone: '555-0101' } }]);
  });

  it('many-to-many ids come with every record, sorted, and only when asked for with fields', async () => {
    const all = await list('customer', 'sort=name');
    expect(all.data.map((d: { tags: number[] }) => d.tags)).toEqual([[t.x], [t.x, t.y], [], []]);
    const some = await list('customer', 'fields=name,tags&sort=name&pageSize=2');
    expect(some.data).toEqual([
      { id: c.alpha, name: 'Alpha Foods', tags: [t.x] },
      { id: c.beta, name: 'Beta Tech', tags: [t.x, t.y] },
    ]);
    const none = await list('customer', 'fields=name&sort=name&pageSize=1');
    expect(none.data).toEqual([{ id: c.alpha, name: 'Alpha Foods' }]);
  });

  it('works on a single record too', async () => {
    const r = expectStatus(await admin.get(`/api/data/order/${o.n4}?fields=amount,customer.name`), 200);
    expect(r.body).toEqual({ id: o.n4, amount: 100, customer: { id: c.gamma, name: 'Gamma Tech' } });
  });

  it('refuses unknown fields and write-only fields (a password is never readable)', async () => {
    const e = await refused('/api/data/customer?fields=name,nosuch,salesman.nosuch');
    expect(e.details.map((d: { path: string }) => d.path)).toEqual(['/fields', '/fields']);
    expect((await refused('/api/data/user?fields=username,password')).details).toHaveLength(1);
    const users = await list('user', '');
    expect(users.data.every((u: object) => !('password' in u))).toBe(true);
    expect(users.data.map((u: { username: string }) => u.username)).toEqual(['admin']);
    expect((await refused('/api/data/customer/1?fields=nosuch')).code).toBe('invalid_query');
  });
});
