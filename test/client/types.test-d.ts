/**
 * Compile-time tests of the typed client (checked by `npm run typecheck`, which `npm test` runs
 * first): each `@ts-expect-error` line must fail to compile, so a loosened type breaks the build.
 * Nothing here is sent: the client points at a fetch that is never called.
 */
import { createClient, type CreateInput, type Filter, type Patch } from '../../core/client/index.js';
import type { CompareOp, DateBucket, MetricFn, Quantifier } from '../../core/query/ast.js';
import type { CompareOps, TextOps, RelationOps } from '../../core/client/filter-types.js';
import type { GroupExpr, MetricExpr } from '../../core/client/module-client.js';
import type { User } from '../../core/generated/modules.js';

type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;
const assert = <T extends true>() => undefined as unknown as T;

/** A module with the kinds of field the generated types have, as a local `Modules`. */
interface Order {
  id: number;
  number: string;
  amount: number;
  status: 'open' | 'paid' | 'cancelled' | null;
  orderDate: string | null;
  salesman: number | null;
  paid: boolean | null;
  tags?: number[];
  lines?: Orderline[];
  extra: unknown;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  version: number;
}
interface Orderline {
  id: number;
  product: string;
  qty: number | null;
}
interface Shop {
  order: Order;
  orderline: Orderline;
}

const never = (() => {
  throw new Error('not called');
}) as typeof fetch;
const shop = createClient<Shop>({ baseUrl: '', fetch: never });
const orders = shop.data('order');
const stratum = createClient({ baseUrl: '', fetch: never });

export async function typeTests() {
  // The operators of the engine and of the client are the same lists.
  assert<Equal<keyof CompareOps<string> | keyof TextOps, CompareOp>>();
  assert<Equal<keyof RelationOps<unknown>, Quantifier>>();
  assert<Equal<Extract<GroupExpr<Order>, `${string}(${string}`> extends `${infer B}(${string}` ? B : never, DateBucket>>();
  assert<Equal<MetricExpr<Order> extends `${infer F}(${string}` ? F : never, MetricFn>>();

  // Create input: system fields gone, nullable fields optional, required ones required.
  assert<Equal<keyof CreateInput<User>, 'username' | 'name' | 'email' | 'department' | 'roles' | 'extraDepartments' | 'active'>>();
  await orders.create({ number: 'A-1', amount: 10 });
  await orders.create({ number: 'A-1', amount: 10, status: 'paid', tags: [1, 2], salesman: null });
  // @ts-expect-error misspelled field
  await orders.create({ number: 'A-1', amount: 10, amuont: 3 });
  // @ts-expect-error a required field is missing
  await orders.create({ number: 'A-1' });
  // @ts-expect-error a system field cannot be written
  await orders.create({ number: 'A-1', amount: 10, version: 3 });
  // @ts-expect-error wrong value type
  await orders.create({ number: 'A-1', amount: '10' });
  // @ts-expect-error not one of the enum values
  await orders.create({ number: 'A-1', amount: 10, status: 'shipped' });
  await stratum.data('user').create({ username: 'sam' });
  // @ts-expect-error misspelled field on a generated module
  await stratum.data('user').create({ usernam: 'sam' });
  // @ts-expect-error write-only fields are not in the record type...
  await stratum.data('user').create({ username: 'sam', password: 'x' });
  // ...and are added for a module that has them.
  await stratum.data<'user', { password: string }>('user').create({ username: 'sam', password: 'x' });
  // @ts-expect-error no such module
  stratum.data('usr');

  // Patch: any create field, nothing else.
  assert<Equal<Patch<Order>['amount'], number | undefined>>();
  await orders.update(1, { amount: 5 }, { version: 2 });
  // @ts-expect-error misspelled field
  await orders.update(1, { amout: 5 });
  // @ts-expect-error wrong value type
  await orders.update(1, { paid: 'yes' });

  // Filters.
  const ok: Filter<Order>[] = [
    { status: 'open' },
    { status: ['open', 'paid'] },
    { status: null },
    { amount: { gt: 100, lte: 1000 } },
    { amount: { between: [1, 2] } },
    { number: { startsWith: 'A-', ne: 'A-0' } },
    { orderDate: { gt: '$now-30d' } },
    { salesman: '$user.id' },
    { salesman: { isNull: true } },
    { 'salesman.department.code': { startsWith: '0010' } },
    { lines: { none: { qty: { gt: 3 } } } },
    { tags: { some: { name: 'vip' } } },
    { extra: { isNull: false } },
    { or: [{ status: 'open' }, { not: { amount: { lt: 0 } } }], and: [{ paid: true }] },
  ];
  void ok;
  // @ts-expect-error misspelled field
  await orders.list({ filter: { staus: 'open' } });
  // @ts-expect-error misspelled first step of a path
  await orders.list({ filter: { 'salesmen.department.code': '0010' } });
  // @ts-expect-error wrong value type
  await orders.list({ filter: { amount: 'lots' } });
  // @ts-expect-error wrong value type under an operator
  await orders.list({ filter: { amount: { gt: 'lots' } } });
  // @ts-expect-error unknown operator
  await orders.list({ filter: { amount: { greater: 1 } } });
  // @ts-expect-error text operators are for text fields
  await orders.list({ filter: { amount: { contains: '1' } } });
  // @ts-expect-error not one of the enum values
  await orders.list({ filter: { status: 'shipped' } });
  // @ts-expect-error misspelled field inside a relation quantifier
  await orders.list({ filter: { lines: { some: { qtty: 1 } } } });
  // @ts-expect-error misspelled field inside or
  await orders.list({ filter: { or: [{ nubmer: 'A' }] } });
  // @ts-expect-error a JSON value only takes isNull
  await orders.list({ filter: { extra: { eq: 1 } } });

  // Sort and fields.
  await orders.list({ sort: '-orderDate' });
  await orders.list({ sort: ['-orderDate', 'number', 'salesman.name'] });
  // @ts-expect-error misspelled sort field
  await orders.list({ sort: '-ordrDate' });
  // @ts-expect-error misspelled sort field in a list
  await orders.list({ sort: ['number', 'amont'] });
  // @ts-expect-error misspelled field in fields
  await orders.list({ fields: ['number', 'amout'] });

  // What fields selects is what the result holds.
  const page = await orders.list({ fields: ['number', 'salesman.name'] });
  assert<Equal<keyof (typeof page.data)[number], 'id' | 'number' | 'salesman'>>();
  const first = page.data[0]!;
  const salesmanName: unknown = first.salesman?.name;
  void salesmanName;
  // @ts-expect-error amount was not selected
  void first.amount;
  const whole = await orders.get(1);
  assert<Equal<typeof whole, Order>>();

  // Aggregates: expressions checked, rows keyed by them.
  const groups = await orders.aggregate({ groupBy: ['status', 'month(orderDate)'], metrics: ['count()', 'sum(amount)'] });
  const g = groups[0]!;
  const n: number = g['count()'];
  const status: string | number | boolean | null = g.status;
  void [n, status, g['month(orderDate)'], g['sum(amount)']];
  // @ts-expect-error not asked for
  void g['avg(amount)'];
  // @ts-expect-error misspelled group field
  await orders.aggregate({ groupBy: ['stauts'] });
  // @ts-expect-error unknown date bucket
  await orders.aggregate({ groupBy: ['decade(orderDate)'] });
  // @ts-expect-error misspelled metric field
  await orders.aggregate({ metrics: ['sum(amont)'] });
  // @ts-expect-error count takes no field
  await orders.aggregate({ metrics: ['count(amount)'] });

  // Modules created at runtime, not in the generated types: untyped, checked by the server only.
  const loose = createClient<Record<string, Record<string, any>>>({ baseUrl: '', fetch: never }).data('anything');
  await loose.list({ filter: { 'a.b': 1, c: { gt: 2 } }, sort: ['-c'], fields: ['a.b'] });
  await loose.create({ anything: 1 });
}
