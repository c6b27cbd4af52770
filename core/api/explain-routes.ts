import { Hono } from 'hono';
import type { AppEnv } from './env.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { loadActor } from '../auth/actor.js';
import { loadAccess, type ExplainableAccess, type VariableSource } from '../auth/load-access.js';
import { ACTIONS } from '../rules/access.js';
import { compare, prefix, type Condition } from '../query/ast.js';
import { resolveVariables } from '../query/variables.js';
import type { DataContext } from '../data/context.js';
import { isOwnRecords } from '../rules/own-records.js';
import { queryOf } from './known-parameters.js';

/**
 * For admins: what a user's visibility on a module compiles to (`/explain`), and whether and why
 * that user sees one record (`/<id>/explain`).
 */
export const explainRoutes = new Hono<AppEnv>()
  .get('/:module/explain', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const { access, user } = await accessOf(data, queryOf(c, 'data.explain').user, (await c.get('stratum').plugins.active(data.graph.generation)).variables);
    const actions = Object.fromEntries(ACTIONS.map((action) => {
      let allowed = true;
      try {
        access.require(module, action);
      } catch {
        allowed = false;
      }
      const scope = access.explain(module, action);
      const resolved = resolveVariables(scope.condition, module.name, data.graph, access.variables);
      const sql = data.compiler.condition(module.name, resolved);
      return [action, {
        allowed,
        ...(scope.unrestricted ? { unrestricted: scope.unrestricted } : {}),
        sql: sql.sql,
        joins: sql.joins.trim(),
        params: sql.params,
        ast: resolved,
        bases: scope.bases.map((b) => ({
          base: b.base,
          path: b.path,
          rules: b.rules.map((r) => ({ id: r.id, name: r.name, ...(r.error ? { error: r.error } : {}) })),
          ...(b.department ? { department: { codes: b.department.codes, reason: b.department.reason } } : {}),
          ...(b.error ? { error: b.error } : {}),
        })),
      }];
    }));
    return c.json({ module: module.name, user, actions });
  })
  .get('/:module/:id{[1-9][0-9]{0,14}}/explain', async (c) => {
    const data = c.get('data');
    const module = data.module(c.req.param('module'));
    const { access, user } = await accessOf(data, queryOf(c, 'data.explainRecord').user, (await c.get('stratum').plugins.active(data.graph.generation)).variables);
    const id = Number(c.req.param('id'));
    // A personal record (a saved view) is its creator's alone: not even whose it is is told.
    if (isOwnRecords(module)) throw notFound(`${module.name} ${id}`);
    const scope = access.explain(module, 'read');
    const resolve = (cond: Condition) => resolveVariables(cond, module.name, data.graph, access.variables);
    const flags: { name: string; when: Condition }[] = [{ name: 'visible', when: resolve(scope.condition) }];
    scope.bases.forEach((b, i) => {
      flags.push({ name: `b${i}`, when: resolve(b.condition) });
      // A base whose path could not be decided (b.error) has no path to place its conditions on: it just fails.
      if (b.error) return;
      b.rules.forEach((r, j) => flags.push({ name: `b${i}_r${j}`, when: resolve(withPath(r.condition, b.path)) }));
      if (b.department) flags.push({ name: `b${i}_d`, when: resolve(withPath(b.department.condition, b.path)) });
    });
    const departmentBase = scope.bases.findIndex((b) => b.base === 'department' && !b.error);
    const columns = [{ refs: [] as string[], field: 'id' }];
    if (departmentBase >= 0) {
      const refs = scope.bases[departmentBase]!.path ? scope.bases[departmentBase]!.path.split('.') : [];
      columns.push({ refs, field: 'code' });
    }
    const rows = await data.db.all(data.compiler.select({ module: module.name, where: compare('id', 'eq', id), columns, flags, orderBy: [], limit: 1 }));
    const row = rows[0];
    if (!row) throw notFound(`${module.name} ${id}`);
    const yes = (name: string) => Number(row[name]) === 1;
    const recordDepartment = departmentBase >= 0 ? row[[...(scope.bases[departmentBase]!.path ? scope.bases[departmentBase]!.path.split('.') : []), 'code'].join('.')] ?? null : undefined;
    return c.json({
      module: module.name,
      id,
      user,
      visible: yes('visible'),
      ...(scope.unrestricted ? { unrestricted: scope.unrestricted } : {}),
      ...(recordDepartment !== undefined ? { recordDepartment } : {}),
      bases: scope.bases.map((b, i) => ({
        base: b.base,
        path: b.path,
        passes: yes(`b${i}`),
        rules: b.rules.map((r, j) => ({ id: r.id, name: r.name, passes: yes(`b${i}_r${j}`), ...(r.error ? { error: r.error } : {}) })),
        ...(b.department ? { department: { codes: b.department.codes, reason: b.department.reason, passes: yes(`b${i}_d`) } } : {}),
        ...(b.error ? { error: b.error } : {}),
      })),
    });
  });

const withPath = (cond: Condition, path: string): Condition => prefix(cond, path ? path.split('.') : []);

/** The access of the user named by `?user=`; only admins may ask (checked here, on every explain route). */
async function accessOf(
  data: DataContext, userParam: string | undefined, variables: VariableSource | undefined,
): Promise<{ access: ExplainableAccess; user: { id: number; username: string } }> {
  if (!data.access.actor.isAdmin) throw forbidden('explain:admin', 'Only admins may explain visibility');
  if (!userParam || !/^[1-9][0-9]{0,14}$/.test(userParam)) {
    throw badRequest('invalid_query', 'Name the user to explain for: ?user=<id>', [{ path: '/user', message: 'must be a user id' }]);
  }
  const actor = await loadActor(data.db, Number(userParam));
  if (!actor) throw notFound(`user ${userParam}`);
  // With the plugins' `$user` variables, as the user's own requests resolve them.
  return { access: await loadAccess(data.db, data.graph, actor, variables), user: { id: actor.id, username: actor.username } };
}
