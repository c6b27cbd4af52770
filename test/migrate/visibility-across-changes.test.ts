/**
 * Visibility survives definition changes: on the world of seed 003 (departments, salesmen,
 * customers, orders, order lines, receipts; users restricted by department prefix, by customer
 * grade and by order amount), a random walk of renames and conversions — of the fields the rules
 * filter on, of the references the scope paths run through, of a module the rules name — leaves
 * every user seeing exactly the records, totals and sums they saw before. A rule that was not
 * carried along would fail closed (fewer records) or, worse, open.
 *
 * Reproduce a walk with STRATUM_PROPERTY_SEED=<seed printed below>.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { buildSeed003, type World } from '../rules/seed-003-world.js';
import { expectStatus } from '../api/crm.js';

const SEED = process.env.STRATUM_PROPERTY_SEED ? Number(process.env.STRATUM_PROPERTY_SEED) : (Math.random() * 2 ** 31) | 0;
const STEPS = 10;

/** Where the walk stands: the current name of each thing a step toggles. */
interface Names {
  customer: 'customer' | 'client';
  grade: 'grade' | 'tier';
  amount: 'amount' | 'total';
  salesman: 'salesman' | 'seller';
  department: 'department' | 'dept';
}

type Step = { label: string; module: (n: Names) => string; change: (def: any, n: Names) => { body: any; after: Partial<Names> } };

const rename = (props: Record<string, unknown>, from: string, to: string) => Object.fromEntries(Object.entries(props).map(([k, v]) => [k === from ? to : k, v]));

const STEP_KINDS: Step[] = [
  {
    label: 'rename customer.grade',
    module: (n) => n.customer,
    change: (def, n) => {
      const to = n.grade === 'grade' ? 'tier' : 'grade';
      return { body: { ...def, properties: rename(def.properties, n.grade, to), 'x-migration': { renames: { [n.grade]: to } } }, after: { grade: to } };
    },
  },
  {
    label: 'rename the customer module',
    module: (n) => n.customer,
    change: (def, n) => {
      const to = n.customer === 'customer' ? 'client' : 'customer';
      return { body: { ...def, 'x-migration': { moduleRename: to } }, after: { customer: to } };
    },
  },
  {
    label: 'rename order.amount',
    module: () => 'order',
    change: (def, n) => {
      const to = n.amount === 'amount' ? 'total' : 'amount';
      return { body: { ...def, properties: rename(def.properties, n.amount, to), required: def.required.map((r: string) => (r === n.amount ? to : r)), 'x-migration': { renames: { [n.amount]: to } } }, after: { amount: to } };
    },
  },
  {
    label: 'rename order.salesman (its scope path)',
    module: () => 'order',
    change: (def, n) => {
      const to = n.salesman === 'salesman' ? 'seller' : 'salesman';
      return { body: { ...def, properties: rename(def.properties, n.salesman, to), 'x-migration': { renames: { [n.salesman]: to } } }, after: { salesman: to } };
    },
  },
  {
    label: 'rename salesman.department (every scope path)',
    module: () => 'salesman',
    change: (def, n) => {
      const to = n.department === 'department' ? 'dept' : 'department';
      return { body: { ...def, properties: rename(def.properties, n.department, to), 'x-migration': { renames: { [n.department]: to } } }, after: { department: to } };
    },
  },
  {
    label: 'convert customer.industry between short and long text',
    module: (n) => n.customer,
    change: (def) => {
      const long = def.properties.industry.maxLength === undefined;
      return { body: { ...def, properties: { ...def.properties, industry: long ? { type: 'string', maxLength: 30 } : { type: 'string' } } }, after: {} };
    },
  },
  {
    label: 'convert customer.grade between a choice and text',
    module: (n) => n.customer,
    change: (def, n) => {
      const choice = Array.isArray(def.properties[n.grade].enum);
      return { body: { ...def, properties: { ...def.properties, [n.grade]: choice ? { type: 'string', maxLength: 20 } : { type: 'string', enum: ['gold', 'silver', 'bronze'] } } }, after: {} };
    },
  },
  {
    label: 'widen or narrow order.amount',
    module: () => 'order',
    change: (def, n) => {
      const wide = def.properties[n.amount]['x-precision'] === 24;
      return { body: { ...def, properties: { ...def.properties, [n.amount]: wide ? { type: 'number' } : { type: 'number', 'x-precision': 24, 'x-scale': 4 } } }, after: {} };
    },
  },
];

describeEachDialect('visibility across definition changes', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let world: World;

  beforeAll(async () => {
    app = await startTestApp(dialect);
    world = await buildSeed003(app);
    admin = await app.admin();
  });
  afterAll(() => app?.close());

  /** What every user sees: ids and totals of each module, and their order sums per year. */
  async function seen(n: Names): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [username, { client }] of Object.entries(world.users)) {
      for (const [label, module] of [['salesman', 'salesman'], ['customer', n.customer], ['order', 'order'], ['orderline', 'orderline'], ['receipt', 'receipt']] as const) {
        const r = expectStatus(await client.get(`/api/data/${module}?pageSize=200&sort=id`), 200).body;
        out[`${username} ${label}`] = { ids: r.data.map((x: { id: number }) => x.id), total: r.meta.total };
      }
      const sums = expectStatus(await client.get(`/api/data/order/aggregate?groupBy=${encodeURIComponent('year(orderDate)')}&metrics=${encodeURIComponent(`sum(${n.amount}),count()`)}`), 200).body;
      out[`${username} sums`] = sums.data.map((row: Record<string, unknown>) => Object.values(row).map(String).join(' '));
    }
    return out;
  }

  it(`every user sees the same records after a random walk of ${STEPS} changes (seed ${SEED})`, async () => {
    let names: Names = { customer: 'customer', grade: 'grade', amount: 'amount', salesman: 'salesman', department: 'department' };
    const before = await seen(names);
    // The world is not trivial: the users see different records.
    expect(new Set(Object.entries(before).filter(([k]) => k.endsWith(' order')).map(([, v]) => JSON.stringify(v))).size).toBeGreaterThan(3);
    const walk = fc.sample(fc.array(fc.integer({ min: 0, max: STEP_KINDS.length - 1 }), { minLength: STEPS, maxLength: STEPS }), { seed: SEED, numRuns: 1 })[0]!;
    const done: string[] = [];
    for (const k of walk) {
      const step = STEP_KINDS[k]!;
      const module = step.module(names);
      const def = expectStatus(await admin.get(`/api/modules/${module}`), 200).body.definition;
      const { body, after } = step.change(def, names);
      const plan = expectStatus(await admin.put(`/api/modules/${module}?dryRun=true`, body), 200).body.plan;
      expect(plan.applicable, `${step.label}: ${JSON.stringify(plan.blockers)}`).toBe(true);
      expectStatus(await admin.put(`/api/modules/${module}?confirm=${plan.token}`, body), 200);
      names = { ...names, ...after };
      done.push(step.label);
      expect(await seen(names), `after: ${done.join(' → ')} (seed ${SEED})`).toEqual(before);
    }
  });
});
