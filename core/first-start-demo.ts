/**
 * `npm start` on a new database installs the demo of every enabled plugin that has one (`demo` in
 * definePlugin) unless DEMO=0; `DEMO_PASSWORD` chooses the demo logins' password. Later starts
 * leave the data alone.
 */
import type { Stratum } from './stratum.js';
import { STATE_TABLE } from './db/registry.js';
import { pluginScope } from './plugins/scope.js';
import type { DemoContext, DemoResult } from './plugins/demo-types.js';

/** Installs one plugin's demo now, as the built-in admin; what its `demo` answers. */
export async function installPluginDemo(
  stratum: Stratum, name: string, settings: { password?: string | undefined; options?: Readonly<Record<string, unknown>> } = {},
): Promise<DemoResult> {
  const host = stratum.plugins;
  const plugin = host.plugin(name);
  if (!plugin?.definition.demo) throw new Error(`No plugin "${name}" with a demo is loaded`);
  const log = host.logFor(plugin);
  const ctx = await host.adminContext(await stratum.registry.generation());
  const scope: DemoContext<any> = {
    ...pluginScope(ctx, log), name: plugin.name, version: plugin.version, log,
    ...(settings.password ? { password: settings.password } : {}),
    options: settings.options ?? {},
  };
  return plugin.definition.demo(scope);
}

/**
 * On a new database (no department and no user besides the built-in admin), the demos of the
 * enabled plugins, by plugin name; undefined when none was installed.
 */
export async function installDemosOnFirstStart(
  stratum: Stratum, env: Readonly<Record<string, string | undefined>>, log: (line: string) => void, options: Readonly<Record<string, unknown>> = {},
): Promise<Map<string, DemoResult> | undefined> {
  if (env.DEMO === '0') return undefined;
  const enabled = (await stratum.plugins.active(await stratum.registry.generation())).enabled.filter((p) => p.definition.demo);
  if (enabled.length === 0 || !(await isNew(stratum))) return undefined;
  // Several processes may start on one new database at once: the first to claim the install in
  // the database installs, the others leave it (the claim's key is unique; nothing in-process).
  if (!(await claimInstall(stratum))) {
    log('Another process is installing the demo on this database (or did); this one leaves it alone.');
    return undefined;
  }
  const installed = new Map<string, DemoResult>();
  for (const plugin of enabled) {
    const started = Date.now();
    const demo = await installPluginDemo(stratum, plugin.name, { password: env.DEMO_PASSWORD, options });
    installed.set(plugin.name, demo);
    const logins = demo.logins && demo.logins.length > 0
      ? ` Log in as ${demo.logins.join(', ')} with the password ${env.DEMO_PASSWORD ? 'of DEMO_PASSWORD' : `"${demo.password}"`} (README "Demo").`
      : '';
    log(`Installed the demo ${demo.title ?? `of ${plugin.name}`} in ${((Date.now() - started) / 1000).toFixed(1)} s.${logins} DEMO=0 starts without it.`);
  }
  return installed;
}

/** Nobody has created a department or a user besides the built-in admin yet: a first start. */
async function isNew(stratum: Stratum): Promise<boolean> {
  const q = (s: string) => stratum.db.quote(s);
  const count = async (table: string, where = '') => Number((await stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${q(table)}${where}`, params: [] }))[0]!.n);
  return (await count('department')) === 0 && (await count('user', ` WHERE ${q('username')} <> 'admin'`)) === 0;
}

/** True for the one process whose claim row went in; a duplicate key means another got there first. */
async function claimInstall(stratum: Stratum): Promise<boolean> {
  const q = (x: string) => stratum.db.quote(x);
  try {
    await stratum.db.insert({ sql: `INSERT INTO ${q(STATE_TABLE)} (${q('name')}, ${q('value')}) VALUES ($1, $2)`, params: ['demo-install', Date.now()] });
    return true;
  } catch (e) {
    if ((e as Error).name === 'SequelizeUniqueConstraintError') return false;
    throw e;
  }
}
