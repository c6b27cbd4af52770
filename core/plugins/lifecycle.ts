/**
 * The lifecycle of a plugin (docs/PLUGINS.md): `load` in every process at start; `install` once
 * per database; `upgrade` when the code's version differs from the installed one; `enable` and
 * `disable` when an admin toggles it. Install, upgrade and toggles each run in one transaction
 * with the plugin's row locked, so that two processes starting together install once, and each
 * moves the registry's generation, so that every process sees the change at its next request.
 */
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { notFound, httpError } from '../errors.js';
import type { DataContext } from '../data/context.js';
import { bindContext } from './bound-context.js';
import type { Plugin } from './define-plugin.js';
import type { PluginHost } from './host.js';
import { insertState, lockedState, updateState, type PluginState } from './plugin-state.js';
import { extendScope, pluginScope } from './scope.js';
import type { LifecycleInfo, TransactionScope } from './types.js';

/** At start: install what is new, upgrade what changed, then `load` each plugin. */
export async function startPlugins(host: PluginHost): Promise<void> {
  await host.ensureTable();
  for (const plugin of host.plugins) await installOrUpgrade(host, plugin);
  for (const plugin of host.plugins) await plugin.definition.load?.(info(host, plugin));
}

async function installOrUpgrade(host: PluginHost, plugin: Plugin): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const ctx = await host.adminContext(await host.registry.generation());
      await host.db.transaction(async (tx) => {
        const state = await lockedState(host.db, plugin.name, tx);
        if (state?.version === plugin.version) return;
        // An older process restarting during a rolling deploy must not take the database back.
        if (state && compareVersions(plugin.version, state.version) < 0) {
          host.logFor(plugin)(`this code is version ${plugin.version}, older than the installed ${state.version}; not downgrading`);
          return;
        }
        const scope = lifecycleScope(host, plugin, ctx, tx);
        if (!state) {
          await plugin.definition.install?.(scope);
          await insertState(host.db, plugin.name, plugin.version, true, tx);
          host.logFor(plugin)(`installed version ${plugin.version}`);
        } else {
          await plugin.definition.upgrade?.({ ...scope, from: state.version });
          await updateState(host.db, plugin.name, { version: plugin.version }, tx);
          host.logFor(plugin)(`upgraded from version ${state.version} to ${plugin.version}`);
        }
        await host.registry.bump(tx);
      });
      return;
    } catch (e) {
      // Another process installed it at the same moment (or MySQL chose this one as a deadlock
      // victim): its work is committed, so look again.
      if (attempt < 4 && raced(e)) continue;
      throw e;
    }
  }
}

/**
 * `POST /api/plugins/<name>/enable|disable`: the plugin's own step and the flag in one
 * transaction, as the admin who asks; a plugin already in that state is left alone.
 */
export async function setEnabled(host: PluginHost, name: string, enabled: boolean, ctx: DataContext): Promise<PluginState> {
  const plugin = host.plugin(name);
  if (!plugin) throw notFound(`Plugin "${name.slice(0, 64)}"`);
  return host.db.transaction(async (tx) => {
    const state = await lockedState(host.db, name, tx);
    if (!state) throw httpError(409, 'not_installed', `Plugin "${name}" is not installed in this database yet; start a server with its code first`);
    if (state.enabled === enabled) return state;
    const scope = lifecycleScope(host, plugin, ctx, tx);
    await (enabled ? plugin.definition.enable : plugin.definition.disable)?.(scope);
    await updateState(host.db, name, { enabled }, tx);
    await host.registry.bump(tx);
    host.logFor(plugin)(`${enabled ? 'enabled' : 'disabled'} by ${ctx.access.actor.username}`);
    return { ...state, enabled };
  });
}

function lifecycleScope(host: PluginHost, plugin: Plugin, ctx: DataContext, tx: Transaction): TransactionScope<any> & LifecycleInfo {
  return extendScope(pluginScope(bindContext(ctx, tx), host.logFor(plugin)) as TransactionScope<any>, info(host, plugin));
}

function info(host: PluginHost, plugin: Plugin): LifecycleInfo {
  return { name: plugin.name, version: plugin.version, log: host.logFor(plugin) };
}

/** Dotted versions compared part by part, numerically where both parts are numbers: 1.10.0 > 1.9.2. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/);
  const pb = b.split(/[.+-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function raced(e: unknown): boolean {
  if (e instanceof UniqueConstraintError) return true;
  const code = (e as { parent?: { code?: string }; original?: { code?: string } }).parent?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_DUP_ENTRY';
}
