import type { Database, Row } from '../db/database.js';
import { ACTIONS, type Action } from '../rules/access.js';
import type { DepartmentInfo, Grants, PermissionGrant, RuleGrant } from '../rules/grants.js';

/**
 * The fetch step: reads a user's roles, department, permissions and rules. Straight SQL on the
 * system tables, because deciding access cannot itself depend on access.
 */
export async function loadGrants(db: Database, userId: number): Promise<Grants | undefined> {
  const q = (s: string) => db.quote(s);
  const [user] = await db.all({
    sql: `SELECT u.${q('id')} AS id, u.${q('username')} AS username, u.${q('active')} AS active,
      d.${q('id')} AS did, d.${q('code')} AS dcode, d.${q('seeAll')} AS dall, d.${q('seeSameLevel')} AS dsame
      FROM ${q('user')} AS u LEFT JOIN ${q('department')} AS d ON d.${q('id')} = u.${q('department')} WHERE u.${q('id')} = $1`,
    params: [userId],
  });
  if (!user || Number(user.active) === 0) return undefined;
  const roles = await db.all({
    sql: `SELECT r.${q('id')} AS id, r.${q('name')} AS name FROM ${q('user_roles')} AS j JOIN ${q('role')} AS r ON r.${q('id')} = j.${q('target')} WHERE j.${q('source')} = $1`,
    params: [userId],
  });
  const roleIds = roles.map((r) => Number(r.id));
  const isAdmin = roles.some((r) => r.name === 'admin');
  const extra = await db.all({
    sql: `SELECT d.${q('id')} AS did, d.${q('code')} AS dcode, d.${q('seeAll')} AS dall, d.${q('seeSameLevel')} AS dsame
      FROM ${q('user_extraDepartments')} AS j JOIN ${q('department')} AS d ON d.${q('id')} = j.${q('target')} WHERE j.${q('source')} = $1`,
    params: [userId],
  });
  const codes = await db.all({ sql: `SELECT ${q('code')} AS code FROM ${q('department')}`, params: [] });
  const roleList = roleIds.length > 0 ? roleIds.map((_, i) => `$${i + 1}`).join(', ') : 'NULL';
  const permissions = roleIds.length === 0 ? [] : await db.all({
    sql: `SELECT ${q('module')} AS module, ${q('actions')} AS actions, ${q('filterFields')} AS filterFields,
      ${q('readFields')} AS readFields, ${q('writeFields')} AS writeFields FROM ${q('permission')} WHERE ${q('role')} IN (${roleList})`,
    params: roleIds,
  });
  const n = roleIds.length;
  const rules = await db.all({
    sql: `SELECT DISTINCT r.${q('id')} AS id, r.${q('name')} AS name, r.${q('module')} AS module, r.${q('filter')} AS filter, r.${q('actions')} AS actions
      FROM ${q('rule')} AS r
      WHERE r.${q('id')} IN (SELECT ${q('source')} FROM ${q('rule_users')} WHERE ${q('target')} = $${n + 1})
      ${n > 0 ? `OR r.${q('id')} IN (SELECT ${q('source')} FROM ${q('rule_roles')} WHERE ${q('target')} IN (${roleList}))` : ''}
      ORDER BY r.${q('id')}`,
    params: [...roleIds, userId],
  });
  return {
    userId,
    username: String(user.username),
    isAdmin,
    roleIds,
    roleNames: roles.map((r) => String(r.name)).sort(),
    department: user.did === null || user.did === undefined ? null : department(user, 'did'),
    extraDepartments: extra.map((r) => department(r, 'did')),
    departmentCodes: codes.map((r) => String(r.code)),
    permissions: permissions.map(permission),
    rules: rules.map(rule),
  };
}

function department(r: Row, idKey: string): DepartmentInfo {
  return { id: Number(r[idKey]), code: String(r.dcode), seeAll: truthy(r.dall), seeSameLevel: truthy(r.dsame) };
}

function permission(r: Row): PermissionGrant {
  const list = (v: unknown) => {
    const parsed = json(v);
    return Array.isArray(parsed) && parsed.length > 0 ? parsed.map(String) : undefined;
  };
  const filterFields = list(r.filterFields);
  const readFields = list(r.readFields);
  const writeFields = list(r.writeFields);
  return {
    module: String(r.module),
    actions: actions(r.actions),
    ...(filterFields ? { filterFields } : {}),
    ...(readFields ? { readFields } : {}),
    ...(writeFields ? { writeFields } : {}),
  };
}

function rule(r: Row): RuleGrant {
  return { id: Number(r.id), name: String(r.name), module: String(r.module), filter: json(r.filter), actions: actions(r.actions) };
}

function actions(v: unknown): Action[] {
  const parsed = json(v);
  return Array.isArray(parsed) ? parsed.filter((a): a is Action => (ACTIONS as readonly unknown[]).includes(a)) : [];
}

function json(v: unknown): unknown {
  if (typeof v !== 'string') return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return null;
  }
}

const truthy = (v: unknown) => v === true || v === 1 || v === '1';
