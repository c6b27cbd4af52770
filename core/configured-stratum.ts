/**
 * The Stratum that `npm start` serves, opened from the same environment (DATABASE_URL or DATA_DIR,
 * METADATA_DIR, DEMO, MODULES_DIR, BUILTIN_PLUGINS, SECURE_COOKIES, TRUSTED_PROXIES, MIGRATIONS_DIR): the server
 * and the command-line tools (`npm run schema`, `npm run admin`) open it alike.
 */
import { mkdirSync } from 'node:fs';
import { dataDir } from './data-dir.js';
import { defaultDatabaseUrl } from './db/connect.js';
import { migrationsDirOf } from './migrate/migration-files.js';
import { DEFAULT_MODULES_DIR } from './plugins/load-plugins.js';
import { Stratum } from './stratum.js';
import { trustedProxies } from './api/client-connection.js';

export function configuredDatabaseUrl(): string {
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  return process.env.DATABASE_URL ?? defaultDatabaseUrl(dir);
}

export function openConfigured(log: (line: string) => void): Promise<Stratum> {
  return Stratum.open({
    databaseUrl: configuredDatabaseUrl(),
    adminPassword: process.env.ADMIN_PASSWORD,
    metadataDir: process.env.METADATA_DIR,
    // DEMO=0 starts without the demo CRM — its modules, its plugin and its data.
    skipApps: process.env.DEMO === '0' ? ['crm'] : [],
    // Plugins: modules/<name>/plugin.ts of the repository, or of MODULES_DIR.
    modulesDir: process.env.MODULES_DIR ?? DEFAULT_MODULES_DIR,
    // The plugins that come with Stratum (the audit history); BUILTIN_PLUGINS=0 runs the engine without them.
    builtinPlugins: process.env.BUILTIN_PLUGINS !== '0',
    secureCookies: process.env.SECURE_COOKIES === '1',
    // A setting of the Stratum, not of createApp: the app's signature stays, and the command-line
    // tools open the same settings (a wrong address stops them as it stops the server).
    trustedProxies: trustedProxies(),
    // Every applied definition change is also a file in migrations/ (MIGRATIONS_DIR; empty for none).
    migrationsDir: migrationsDirOf(),
    log,
  });
}
