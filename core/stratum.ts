import type { Lucia } from 'lucia';
import { connect } from './db/connect.js';
import { Database } from './db/database.js';
import { Registry } from './db/registry.js';
import { createLucia, sessionAdapter } from './auth/session-adapter.js';
import { DEFAULT_THROTTLE, ensureLoginFailureTable, LoginThrottle, type ThrottlePolicy } from './auth/login-throttle.js';
import { install, type InstallOptions } from './install.js';
import { ScopeColumns } from './data/scope-column.js';
import { TrigramPostings } from './search/trigram-table.js';
import { trigramFields } from './query/trigrams.js';
import type { Plugin } from './plugins/define-plugin.js';
import { PluginHost } from './plugins/host.js';
import { startPlugins } from './plugins/lifecycle.js';
import { loadPluginsDir, registerFieldTypes } from './plugins/load-plugins.js';
import { BUILTIN_PLUGINS } from './plugins/builtin/index.js';
import { onApplied } from './migrate/applied-hooks.js';
import { normalAddress } from './api/client-connection.js';
import { writeMigrationFiles } from './migrate/migration-files.js';

export interface StratumOptions extends InstallOptions {
  /** `mysql://user:pass@host:port/db` or `sqlite:<file>`. */
  readonly databaseUrl: string;
  /** Mark the session cookie Secure (behind HTTPS). */
  readonly secureCookies?: boolean;
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed (core/api/client-connection.ts); none by default. */
  readonly trustedProxies?: readonly string[];
  /** Login throttling other than DEFAULT_THROTTLE, and its clock (tests). */
  readonly loginThrottle?: Partial<ThrottlePolicy> & { readonly now?: () => number };
  /** A folder of plugins, `<dir>/<name>/plugin.ts` (the server passes the repository's `modules/`); none by default. */
  readonly modulesDir?: string | undefined;
  /** Plugins given as code (tests, embedding), after those of `modulesDir`. */
  readonly plugins?: readonly Plugin[];
  /** The plugins that come with Stratum (core/plugins/builtin: audit history), first; default true. */
  readonly builtinPlugins?: boolean;
  /** Where every applied definition change is also written as a file (the server passes the repository's `migrations/`); none by default. */
  readonly migrationsDir?: string | undefined;
}

/** One running Stratum: its database, module registry and sessions. Holds no state two processes could disagree on. */
export class Stratum {
  private constructor(
    readonly db: Database,
    readonly registry: Registry,
    readonly lucia: Lucia,
    readonly plugins: PluginHost,
    readonly logins: LoginThrottle,
    /** `TRUSTED_PROXIES`, each address in the form the socket's peer is compared in (core/api/client-connection.ts). */
    readonly trustedProxies: ReadonlySet<string>,
  ) {}

  static async open(opts: StratumOptions): Promise<Stratum> {
    const db = new Database(connect(opts.databaseUrl));
    const registry = new Registry(db);
    // Before install: a definition file changed since the last start is applied as a plan too.
    if (opts.migrationsDir) onApplied(db, writeMigrationFiles(opts.migrationsDir));
    const plugins = [
      ...(opts.builtinPlugins === false ? [] : BUILTIN_PLUGINS),
      ...(opts.modulesDir ? await loadPluginsDir(opts.modulesDir, opts.skipApps) : []),
      ...(opts.plugins ?? []),
    ];
    // Before any definition is read: plugin field types decide how properties are stored.
    registerFieldTypes(plugins);
    const pluginMetadataDirs = plugins.flatMap((p) => (p.metadataDir ? [p.metadataDir] : []));
    let host: PluginHost;
    try {
      host = new PluginHost(db, registry, plugins, opts.log ?? ((line) => console.log(line)));
      // Processes starting at once on one database install one after the other (tables, derived
      // columns and counts, plugins' own installs): the first does it, the next finds it done.
      await db.exclusively('install', 600, async () => {
        await install(db, registry, { ...opts, pluginMetadataDirs });
        await ensureLoginFailureTable(db);
        await startPlugins(host);
      });
    } catch (e) {
      // A refused definition or plugin stops the start: leave no pool behind holding the process open.
      await db.close();
      throw e;
    }
    const lucia = createLucia(sessionAdapter(db.sequelize, { userTable: 'user', writing: (fn) => db.writing(fn) }), { secure: opts.secureCookies ?? false });
    const { now, ...policy } = opts.loginThrottle ?? {};
    const logins = new LoginThrottle(db, { ...DEFAULT_THROTTLE, ...policy }, now);
    return new Stratum(db, registry, lucia, host, logins, new Set((opts.trustedProxies ?? []).map(normalAddress)));
  }

  /**
   * After rows were written around the engine (a bulk load straight into the tables): rebuilds
   * the maintained columns — each row's department copy — the counts per department, and the
   * trigram postings of searched fields.
   */
  async afterBulkLoad(): Promise<void> {
    const graph = await this.registry.graph();
    const columns = new ScopeColumns(this.db, graph);
    for (const module of graph.modules.values()) await columns.rebuild(module);
    // And the postings of every trigram search index (core/search).
    const postings = new TrigramPostings(this.db);
    for (const module of graph.modules.values()) for (const field of trigramFields(module)) await postings.rebuild(module, field.name);
  }

  /**
   * After rows were only inserted or deleted around the engine (the department column of the
   * remaining rows is still true): rebuilds the maintained counts of `modules` (all by default),
   * a GROUP BY per module instead of afterBulkLoad's rewrite of every row.
   */
  async recount(modules?: readonly string[]): Promise<void> {
    const graph = await this.registry.graph();
    const columns = new ScopeColumns(this.db, graph);
    for (const module of graph.modules.values()) if (!modules || modules.includes(module.name)) await columns.counts.rebuild(module);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
