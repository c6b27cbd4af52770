import { serve } from '@hono/node-server';
import { mkdirSync } from 'node:fs';
import { createApp } from './api/app.js';
import { dataDir } from './data-dir.js';
import { defaultDatabaseUrl } from './db/connect.js';
import { Stratum } from './stratum.js';
import { DEFAULT_MODULES_DIR } from './plugins/load-plugins.js';
import { installDemoOnFirstStart } from './demo/first-start.js';
import { migrationsDirOf } from './migrate/migration-files.js';

/** `npm start`: serves the API on PORT with SQLite under DATA_DIR, or the database of DATABASE_URL. */
async function main() {
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const databaseUrl = process.env.DATABASE_URL ?? defaultDatabaseUrl(dir);
  const stratum = await Stratum.open({
    databaseUrl,
    adminPassword: process.env.ADMIN_PASSWORD,
    metadataDir: process.env.METADATA_DIR,
    // API.md: DEMO=0 starts without the demo CRM — its modules, its plugin and its data.
    skipApps: process.env.DEMO === '0' ? ['crm'] : [],
    // Plugins: modules/<name>/plugin.ts of the repository, or of MODULES_DIR.
    modulesDir: process.env.MODULES_DIR ?? DEFAULT_MODULES_DIR,
    // The plugins that come with Stratum (the audit history); BUILTIN_PLUGINS=0 runs the engine without them.
    builtinPlugins: process.env.BUILTIN_PLUGINS !== '0',
    secureCookies: process.env.SECURE_COOKIES === '1',
    // Every applied definition change is also a file in migrations/ (MIGRATIONS_DIR; empty for none).
    migrationsDir: migrationsDirOf(),
    log: (line) => console.log(line),
  });
  await installDemoOnFirstStart(stratum, process.env, (line) => console.log(line));
  const port = Number(process.env.PORT ?? 3000);
  const server = serve({ fetch: createApp(stratum).fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
    console.log(`Stratum listening on http://localhost:${info.port} (${databaseUrl.startsWith('sqlite:') ? databaseUrl : 'MySQL/MariaDB'})`);
  });
  const stop = () => server.close(() => void stratum.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
