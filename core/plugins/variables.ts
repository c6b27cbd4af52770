/**
 * `$user.<name>` variables contributed by plugins (e.g. `$user.classes`). A resolver returns
 * values — never SQL — which the engine then treats like its own variables: converted for the
 * column they are compared with and bound as parameters. The fetch happens once per request and
 * only for variables that the user's rules mention; the compiled scopes are cached per value.
 */
import type { VariableSource } from '../auth/load-access.js';
import type { Scalar } from '../query/ast.js';
import type { Plugin } from './define-plugin.js';
import type { PluginScope, VariableResolver } from './types.js';

export function variableSource(
  enabled: readonly Plugin[],
  adminScope: (plugin: Plugin) => Promise<PluginScope<any>>,
): VariableSource | undefined {
  const resolvers = new Map<string, [Plugin, VariableResolver<any>]>();
  for (const plugin of enabled) {
    for (const [name, fn] of Object.entries(plugin.definition.variables ?? {})) {
      // The first enabled plugin (in load order) that defines a name wins; later ones are ignored.
      if (!resolvers.has(name)) resolvers.set(name, [plugin, fn]);
    }
  }
  if (resolvers.size === 0) return undefined;
  return async (grants) => {
    // The admin role sees everything: no rule of theirs is ever compiled.
    if (grants.isAdmin || grants.rules.length === 0) return undefined;
    const text = JSON.stringify(grants.rules.map((r) => r.filter));
    const values: Record<string, Scalar | readonly Scalar[] | null> = {};
    for (const [name, [plugin, fn]] of resolvers) {
      if (!text.includes(JSON.stringify(`$user.${name}`))) continue;
      try {
        const value = await fn({ id: grants.userId, username: grants.username }, await adminScope(plugin));
        values[name] = normalised(value);
      } catch (e) {
        // No value: each rule that needs it grants nothing (fail closed).
        (await adminScope(plugin)).log(`$user.${name} failed for user ${grants.userId}; rules that use it grant nothing: ${e instanceof Error ? e.message : String(e)}`);
        values[name] = null;
      }
    }
    return Object.keys(values).length > 0 ? values : undefined;
  };
}

function normalised(value: unknown): Scalar | readonly Scalar[] | null {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.filter((v): v is Scalar => isScalar(v) && v !== null);
  return isScalar(value) ? value : null;
}

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
