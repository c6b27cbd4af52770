/**
 * The modules and the dataset that the query compiler tests share: compile-sql.test.ts compiles
 * against them without a database, compile-execute.test.ts creates them through the API and runs
 * the same statements on SQLite and MariaDB. Record ids are the insertion order, from 1.
 *
 * `department` is the built-in system module (code, name, seeAll, seeSameLevel).
 */
import type { VariableContext } from '../../core/query/variables.js';
import type { JsonSchema } from '../../core/schema/module.js';

/** The clock of every variable in the cases: `$now-30d` is 2025-05-16T12:00:00Z. */
export const NOW = new Date('2025-06-15T12:00:00.000Z');
/** `$user.id` is salesman Bob's id, `$user.roles` spreads to salesmen Alice and Carol. */
export const VARIABLES: VariableContext = { now: NOW, user: { id: 2, username: 'bob', roles: [1, 3] } };

export const salesman: JsonSchema = {
  $id: 'salesman',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 64 },
    department: { type: 'integer', 'x-ref': 'department' },
  },
  required: ['name'],
};

export const tag: JsonSchema = {
  $id: 'tag',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 32 },
    kind: { type: 'string', enum: ['temp', 'promo'] },
    /** Named like the compiler's result columns (g0, m0 …) on purpose. */
    g0: { type: 'integer' },
    owner: { type: 'integer', 'x-ref': 'salesman' },
  },
  required: ['name'],
};

/** Without `followups`: followup refers to customer, so customer is created first and extended after. */
export const customerBase: JsonSchema = {
  $id: 'customer',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100 },
    grade: { type: 'string', enum: ['gold', 'silver', 'bronze'] },
    credit: { type: 'number' },
    vip: { type: 'boolean' },
    note: { type: 'string' },
    since: { type: 'string', format: 'date' },
    tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'tag' },
  },
  required: ['name'],
  'x-list': { search: ['name', 'note'] },
};

export const followup: JsonSchema = {
  $id: 'followup',
  type: 'object',
  properties: {
    customer: { type: 'integer', 'x-ref': 'customer' },
    date: { type: 'string', format: 'date-time' },
    summary: { type: 'string', maxLength: 200 },
  },
  required: ['customer', 'date'],
};

export const customer: JsonSchema = {
  ...customerBase,
  properties: {
    ...(customerBase.properties as Record<string, unknown>),
    followups: { type: 'array', 'x-inverse': 'followup.customer' },
  },
};

export const order: JsonSchema = {
  $id: 'order',
  type: 'object',
  properties: {
    number: { type: 'string', maxLength: 32, 'x-unique': true },
    amount: { type: 'number', minimum: 0 },
    orderDate: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['open', 'paid'], default: 'open' },
    customer: { type: 'integer', 'x-ref': 'customer' },
    salesman: { type: 'integer', 'x-ref': 'salesman' },
  },
  required: ['number', 'amount'],
  'x-list': { search: ['number'], sort: '-orderDate,number' },
};

/** Its reference is called `order`: a reserved word of SQL, as a column and as a table. */
export const orderline: JsonSchema = {
  $id: 'orderline',
  type: 'object',
  properties: {
    order: { type: 'integer', 'x-ref': 'order', 'x-on-delete': 'cascade' },
    product: { type: 'string', maxLength: 64 },
    qty: { type: 'integer' },
  },
  required: ['order', 'product'],
};

/** The app modules as the graph holds them (department comes from core/system-modules). */
export const MODULES: readonly JsonSchema[] = [salesman, tag, customer, followup, order, orderline];

/** The order in which the API can create them: each POST may only name modules that exist; then one PUT. */
export const CREATE_STEPS: readonly { method: 'POST' | 'PUT'; definition: JsonSchema }[] = [
  { method: 'POST', definition: salesman },
  { method: 'POST', definition: tag },
  { method: 'POST', definition: customerBase },
  { method: 'POST', definition: followup },
  { method: 'POST', definition: order },
  { method: 'POST', definition: orderline },
  { method: 'PUT', definition: customer },
];

/**
 * The dataset, in insertion order. Chosen so that each case separates right from wrong SQL:
 * NULLs in every nullable compared field, `%`, `_` and `!` in names, a customer without
 * followups or tags (vacuous `every`), a salesman without a department, an order without a date.
 */
export const DATA: readonly { module: string; records: readonly Record<string, unknown>[] }[] = [
  {
    module: 'department',
    records: [
      { code: '00', name: 'Company' }, // 1
      { code: '0010', name: 'Sales' }, // 2
      { code: '001002', name: 'Sales 2' }, // 3
      { code: '0020', name: 'Support' }, // 4
    ],
  },
  {
    module: 'salesman',
    records: [
      { name: 'Alice', department: 2 }, // 1: 0010
      { name: 'Bob', department: 3 }, // 2: 001002
      { name: 'Carol', department: 4 }, // 3: 0020
      { name: 'Dave', department: null }, // 4
    ],
  },
  {
    module: 'tag',
    records: [
      { name: 'hot', kind: 'temp', g0: 1, owner: 1 },
      { name: 'cold', kind: 'temp', g0: 2, owner: 2 },
      { name: '50%_off', kind: 'promo', g0: 3, owner: null },
    ],
  },
  {
    module: 'customer',
    records: [
      { name: 'Acme', grade: 'gold', credit: 1000, vip: true, note: 'big client', since: '2020-01-01', tags: [1, 2] }, // 1
      { name: 'Bolt', grade: 'silver', credit: 250.5, vip: false, note: null, since: '2021-06-30', tags: [1] }, // 2
      { name: '100% Cotton', grade: 'bronze', credit: 0, vip: false, note: 'cotton', since: null, tags: [] }, // 3
      { name: 'Under_score', grade: null, credit: null, vip: true, note: null, since: '2024-02-29', tags: [3] }, // 4
      { name: 'Bang! Inc', grade: 'gold', credit: 500, vip: false, note: 'Loud', since: '2019-12-31', tags: [2] }, // 5
    ],
  },
  {
    module: 'followup',
    records: [
      { customer: 1, date: '2025-06-10T09:00:00.000Z', summary: 'call' }, // 1: recent
      { customer: 1, date: '2025-03-01T09:00:00.000Z', summary: 'visit' }, // 2: old
      { customer: 2, date: '2025-04-01T10:00:00.000Z', summary: 'mail' }, // 3: old
      { customer: 4, date: '2025-06-15T11:00:00.000Z', summary: 'call' }, // 4: an hour ago
    ],
  },
  {
    module: 'order',
    records: [
      { number: 'O-1', amount: 100, orderDate: '2025-01-15', status: 'open', customer: 1, salesman: 1 }, // Wed
      { number: 'O-2', amount: 2500.75, orderDate: '2025-02-03', status: 'paid', customer: 1, salesman: 2 }, // Mon
      { number: 'O-3', amount: 40, orderDate: '2025-04-20', status: 'paid', customer: 2, salesman: 3 }, // Sun
      { number: 'O-4', amount: 999, orderDate: '2025-04-21', status: 'open', customer: 3, salesman: null }, // Mon
      { number: 'O-5', amount: 0, orderDate: '2024-12-31', status: 'open', customer: null, salesman: 4 }, // Tue
      { number: 'O-6', amount: 300, orderDate: null, status: 'paid', customer: 5, salesman: 2 },
    ],
  },
  {
    module: 'orderline',
    records: [
      { order: 1, product: 'Widget', qty: 2 },
      { order: 2, product: 'Gadget', qty: 1 },
      { order: 3, product: 'Widget', qty: 4 },
      { order: 6, product: 'Gizmo', qty: 3 },
      { order: 2, product: 'Widget', qty: null },
    ],
  },
];
