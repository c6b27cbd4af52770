import type { Stratum } from '../../core/stratum.js';
import { createApp } from '../../core/http-app.js';
import { Client } from './client.js';
import {
  customerPhone, GRADES, INDUSTRIES, LOADED_AT, orderAmount, orderDate, orderNumber, type Dataset,
} from './dataset.js';
import { ADMIN_PASSWORD, BENCH_USERS, RULE_ACTIONS, rulesOf, STAFF_MODULES, STAFF_ROLE, USER_PASSWORD } from './users.js';

/** Rows per multi-row INSERT. */
const BATCH = 1000;

type Log = (line: string) => void;

/** What a bulk loader knows how to fill; any other column of the table keeps its default. */
type RowValues = (index: number) => Record<string, unknown>;

/**
 * Loads a dataset into Stratum's own tables through `stratum.db` (bound multi-row INSERTs), as
 * the engine itself would have stored the records: system columns filled, version 1, created by
 * admin. Columns the engine may add later (a denormalised scope column, say) are read with
 * describeTable and left to their defaults; `stratum.afterBulkLoad()`, when the engine has it,
 * then rebuilds them. Then the benchmark's users, role, permissions and rules go through the API.
 */
export async function loadStratum(stratum: Stratum, data: Dataset, log: Log): Promise<{ adminId: number; users: Record<string, number> }> {
  const db = stratum.db;
  const q = (s: string) => db.quote(s);
  const [admin] = await db.all({ sql: `SELECT ${q('id')} AS id FROM ${q('user')} WHERE ${q('username')} = $1`, params: ['admin'] });
  if (!admin) throw new Error('Stratum has no admin account');
  const adminId = Number(admin.id);
  const system = { createdAt: LOADED_AT, updatedAt: LOADED_AT, createdBy: adminId, updatedBy: adminId, version: 1 };

  const existing = await db.all({ sql: `SELECT COUNT(*) AS n FROM ${q('department')}`, params: [] });
  if (Number(existing[0]?.n ?? 0) > 0) throw new Error('The Stratum database already has departments: load into a fresh database (--regenerate)');

  await bulkInsert(stratum, 'department', data.departments.length, (i) => {
    const d = data.departments[i]!;
    return { id: d.id, ...system, code: d.code, name: d.name, seeAll: d.seeAll ? 1 : 0, seeSameLevel: d.seeSameLevel ? 1 : 0 };
  }, log);
  await bulkInsert(stratum, 'salesman', data.sizes.salesmen, (i) => ({
    id: i + 1, ...system, name: data.salesmanName[i], department: data.salesmanDepartment[i],
  }), log);
  await bulkInsert(stratum, 'customer', data.sizes.customers, (i) => ({
    id: i + 1, ...system,
    name: data.customerName[i], phone: customerPhone(i + 1), grade: GRADES[data.customerGrade[i]!],
    industry: INDUSTRIES[data.customerIndustry[i]!], salesman: data.customerSalesman[i],
  }), log);
  const started = Date.now();
  await bulkInsert(stratum, 'order', data.sizes.orders, (i) => ({
    id: i + 1, ...system,
    // Created the day of the order: a realistic createdAt, and a fixed one so that records compare equal.
    createdAt: `${orderDate(data.orderDay[i]!)} 12:00:00.000`, updatedAt: `${orderDate(data.orderDay[i]!)} 12:00:00.000`,
    number: orderNumber(i + 1), amount: orderAmount(data.orderCents[i]!), orderDate: orderDate(data.orderDay[i]!),
    customer: data.orderCustomer[i], salesman: data.orderSalesman[i],
  }), log);
  log(`  stratum: ${data.sizes.orders} orders in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Departments decide visibility: every process must recompile what it cached.
  await stratum.registry.bump();
  const hook = (stratum as Stratum & { afterBulkLoad?: () => Promise<void> }).afterBulkLoad;
  if (typeof hook === 'function') {
    const t = Date.now();
    await hook.call(stratum);
    log(`  stratum: afterBulkLoad() took ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } else {
    log('  stratum: the engine has no afterBulkLoad() hook; nothing to rebuild');
  }
  const users = await createUsers(stratum, data);
  return { adminId, users };
}

async function bulkInsert(stratum: Stratum, table: string, count: number, values: RowValues, log: Log): Promise<void> {
  const db = stratum.db;
  const described = await db.sequelize.getQueryInterface().describeTable(table);
  const present = Object.keys(described);
  const known = Object.keys(values(0));
  const missing = known.filter((c) => !present.includes(c));
  if (missing.length > 0) throw new Error(`Stratum's table ${table} has no column ${missing.join(', ')}: the bench modules and the engine disagree`);
  const extra = present.filter((c) => !known.includes(c));
  if (extra.length > 0) log(`  stratum: ${table} has columns the loader leaves at their defaults: ${extra.join(', ')}`);
  const head = `INSERT INTO ${db.quote(table)} (${known.map((c) => db.quote(c)).join(', ')}) VALUES `;
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (let i = start; i < end; i++) {
      const row = values(i);
      tuples.push(`(${known.map((c) => {
        params.push(row[c] ?? null);
        return `$${params.length}`;
      }).join(', ')})`);
    }
    await db.insert({ sql: head + tuples.join(', '), params });
  }
}

/** The benchmark's role, permissions, users and rules, created by admin through the API. */
async function createUsers(stratum: Stratum, data: Dataset): Promise<Record<string, number>> {
  const app = createApp(stratum);
  const admin = await new Client((path, init) => Promise.resolve(app.request(path, init))).login('admin', ADMIN_PASSWORD);
  const role = await admin.expect(201, 'POST', '/api/data/role', { name: STAFF_ROLE, description: 'the million-row benchmark: reads and creates the sales modules' });
  for (const module of STAFF_MODULES) {
    await admin.expect(201, 'POST', '/api/data/permission', { role: role.id, module, actions: ['read', 'create'] });
  }
  const users: Record<string, number> = {};
  for (const u of BENCH_USERS) {
    const department = data.departments.find((d) => d.code === u.department);
    if (!department) throw new Error(`No department ${u.department} in the dataset`);
    const created = await admin.expect(201, 'POST', '/api/data/user', {
      username: u.username, password: USER_PASSWORD, name: u.username, department: department.id, roles: [role.id],
    });
    users[u.username] = created.id;
    for (const rule of rulesOf(u)) {
      await admin.expect(201, 'POST', '/api/data/rule', { ...rule, actions: [...RULE_ACTIONS], users: [created.id] });
    }
  }
  return users;
}
