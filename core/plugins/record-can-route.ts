/**
 * `GET /api/data/<module>/<id>/can`: what the caller may do with one record they can read — update,
 * delete, and each enabled plugin's record actions on the module (`ui.recordActions`), each asked
 * by its `allowed(record, ctx)` as the caller, or offered with update where it has none. The UI
 * shows only what this says; every action's own endpoint checks again.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../api/env.js';
import { getRecord } from '../data/read-records.js';
import { recordCan } from '../data/record-can.js';
import { pluginScope } from './scope.js';
import { queryOf } from '../api/known-parameters.js';

export interface RecordCan {
  update: boolean;
  delete: boolean;
  /** `<plugin>.<action name>` → whether it is offered. */
  actions: Record<string, boolean>;
}

export const recordCanRoutes = new Hono<AppEnv>().get('/:module/:id{[1-9][0-9]{0,14}}/can', async (c) => {
  queryOf(c, 'data.can');
  const data = c.get('data');
  const module = data.module(c.req.param('module'));
  const id = Number(c.req.param('id'));
  const can = await recordCan(data, module, id);
  const host = c.get('stratum').plugins;
  const enabled = (await host.active(data.graph.generation)).enabled;
  const wanted = enabled.flatMap((plugin) => (plugin.definition.ui?.recordActions ?? []).filter((a) => a.module === module.name).map((action) => ({ plugin, action })));
  const actions: Record<string, boolean> = {};
  if (wanted.length > 0) {
    const record = await getRecord(data, module, id);
    for (const { plugin, action } of wanted) {
      const key = `${plugin.name}.${action.name}`;
      try {
        actions[key] = action.allowed ? (await action.allowed(record, pluginScope(data, host.logFor(plugin)), can)) === true : can.update;
      } catch (e) {
        // A failing check offers nothing (fail closed), and is the plugin's to hear about.
        host.logFor(plugin)(`recordActions.${action.name}.allowed failed: ${e instanceof Error ? e.message : String(e)}`);
        actions[key] = false;
      }
    }
  }
  return c.json({ ...can, actions } satisfies RecordCan);
});
