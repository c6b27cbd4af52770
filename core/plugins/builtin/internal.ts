/**
 * What only the plugins that come with Stratum get: the engine context behind the scope a hook
 * or route was given. The audit plugin needs it to append its entries straight into `history`
 * (no caller may write there, and an entry must run no hooks of its own) and to read module
 * definitions; no plugin author's type carries it (core/plugins/define-plugin.ts exports none),
 * and it answers only for a plugin declared here with `builtin(…)`.
 */
import type { Transaction } from 'sequelize';
import type { DataContext } from '../../data/context.js';
import { transactionOf } from '../bound-context.js';
import type { Plugin } from '../define-plugin.js';
import { scopeInternals } from '../scope.js';

const builtins = new WeakSet<Plugin>();

/** Marks a plugin as one of Stratum's own, which may reach the engine context behind its scopes. */
export function builtin(plugin: Plugin): Plugin {
  builtins.add(plugin);
  return plugin;
}

/** The engine context (and its transaction, in a hook) behind a built-in plugin's scope. */
export function engineOf(scope: object): { readonly data: DataContext; readonly tx: Transaction | undefined } {
  const found = scopeInternals(scope);
  const plugin = found?.log.plugin;
  if (!found || !plugin || !builtins.has(plugin)) throw new Error('the engine context is for the built-in plugins only; plugins use records(), actAs() and system()');
  return { data: found.data, tx: transactionOf(found.data) };
}
