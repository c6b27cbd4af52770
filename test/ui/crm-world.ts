/**
 * The small CRM the browser tests use, defined as an admin would through the API: regions,
 * customers (unique phone, zh labels, a one-to-many to follow-ups) and follow-ups; a sales role
 * with Sam and Dana, and a viewer who may read regions only.
 */
import type { Client } from '../support/app.js';
import { ok } from './browser.js';

export const PASSWORD = 'password-for-ui-tests';

export const regionDef = {
  $id: 'region', title: 'Region', 'x-i18n': { zh: { title: '区域', properties: { name: '名称' } } }, type: 'object',
  properties: { name: { type: 'string', maxLength: 64, 'x-unique': true } }, required: ['name'],
};

export const tagDef = {
  $id: 'tag', title: 'Tag', type: 'object',
  properties: { name: { type: 'string', maxLength: 32, 'x-unique': true } }, required: ['name'],
};

export const customerDef = {
  $id: 'customer',
  title: 'Customer',
  description: 'People who asked about a course.',
  'x-i18n': { zh: { title: '客户', properties: { name: '姓名', phone: '电话', grade: '等级', since: '首次咨询', region: '区域', followups: '跟进记录' } } },
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100, title: 'Name' },
    phone: { type: 'string', maxLength: 20, pattern: '^[0-9+ -]+$', 'x-unique': true, title: 'Phone' },
    email: { type: 'string', format: 'email', maxLength: 254, title: 'E-mail' },
    grade: { type: 'string', enum: ['gold', 'silver', 'bronze'], default: 'bronze', title: 'Grade' },
    visits: { type: 'integer', minimum: 0, maximum: 1000, title: 'Visits' },
    since: { type: 'string', format: 'date', title: 'First contact' },
    region: { type: 'integer', 'x-ref': 'region', title: 'Region' },
    notes: { type: 'string', title: 'Notes' },
    tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'tag', title: 'Tags' },
    owner: { type: 'integer', 'x-ref': 'user', 'x-on-delete': 'set-null', 'x-scope': false, title: 'Owner' },
    followups: { type: 'array', 'x-inverse': 'followup.customer', title: 'Follow-ups' },
  },
  required: ['name', 'phone'],
  'x-owner': 'owner',
  'x-list': { columns: ['name', 'phone', 'grade', 'region', 'since', 'tags'], search: ['name', 'phone'], filters: ['grade', 'since'], sort: 'name' },
};

export const followupDef = {
  $id: 'followup',
  title: 'Follow-up',
  'x-i18n': { zh: { title: '跟进' } },
  type: 'object',
  properties: {
    customer: { type: 'integer', 'x-ref': 'customer', 'x-on-delete': 'cascade', title: 'Customer' },
    date: { type: 'string', format: 'date', title: 'Date' },
    method: { type: 'string', enum: ['phone', 'qq', 'visit'], title: 'Method' },
    notes: { type: 'string', maxLength: 500, title: 'Notes' },
    nextCallAt: { type: 'string', format: 'date-time', title: 'Next call' },
  },
  required: ['customer', 'date'],
  'x-list': { columns: ['date', 'method', 'notes', 'customer'], sort: '-date' },
};

export interface World {
  regions: Record<string, number>;
  tags: Record<string, number>;
  users: Record<'sam' | 'dana' | 'viewer', number>;
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** Defines the modules, roles and users; `customers` customers named `Customer 01…`. */
export async function buildWorld(admin: Client, customers = 0): Promise<World> {
  // The follow-ups relation needs the follow-up module, which needs the customer: added by PUT.
  const { followups: _, ...withoutFollowups } = customerDef.properties;
  for (const def of [regionDef, tagDef, { ...customerDef, properties: withoutFollowups }, followupDef]) await ok(admin.post('/api/modules', def));
  await ok(admin.put('/api/modules/customer', customerDef), 200);
  const regions: Record<string, number> = {};
  for (const name of ['North', 'South']) regions[name] = (await ok(admin.post('/api/data/region', { name }))).id;
  const tags: Record<string, number> = {};
  for (const name of ['vip', 'python', 'linux']) tags[name] = (await ok(admin.post('/api/data/tag', { name }))).id;
  const sales = (await ok(admin.post('/api/data/role', { name: 'sales' }))).id;
  const viewer = (await ok(admin.post('/api/data/role', { name: 'viewer' }))).id;
  for (const module of ['customer', 'followup']) await ok(admin.post('/api/data/permission', { role: sales, module, actions: ['read', 'create', 'update'] }));
  await ok(admin.post('/api/data/permission', { role: sales, module: 'region', actions: ['read'] }));
  await ok(admin.post('/api/data/permission', { role: sales, module: 'tag', actions: ['read'] }));
  // Sales may look up colleagues by name (to pick an owner), and see nothing else of them.
  await ok(admin.post('/api/data/permission', { role: sales, module: 'user', actions: ['read'], readFields: ['username', 'name'] }));
  await ok(admin.post('/api/data/permission', { role: viewer, module: 'region', actions: ['read'] }));
  // Users are seen within one's department: Sam and Dana see each other, and Vic sees no one.
  const department = (await ok(admin.post('/api/data/department', { code: '0010', name: 'Sales' }))).id;
  const user = async (username: string, name: string, role: number, dept?: number) => (await ok(admin.post('/api/data/user', { username, name, password: PASSWORD, roles: [role], ...(dept ? { department: dept } : {}) }))).id;
  const users = { sam: await user('sam', 'Sam Sales', sales, department), dana: await user('dana', 'Dana Sales', sales, department), viewer: await user('viewer', 'Vic Viewer', viewer) };
  const grades = ['gold', 'silver', 'bronze'];
  for (let i = 1; i <= customers; i++) {
    await ok(admin.post('/api/data/customer', {
      name: `Customer ${String(i).padStart(2, '0')}`,
      phone: `555-${String(1000 + i)}`,
      grade: grades[i % 3],
      visits: i,
      since: daysAgo(i * 3),
      region: i % 2 === 0 ? regions.North : regions.South,
      tags: i % 5 === 0 ? [tags.vip!, tags.python!] : [],
    }));
  }
  return { regions, tags, users };
}
