import { serve } from '@hono/node-server';
import { createApp } from './http-app.js';
import { configuredDatabaseUrl, openConfigured } from './configured-stratum.js';
import { installDemosOnFirstStart } from './first-start-demo.js';

/** `npm start`: serves the API on PORT with SQLite under DATA_DIR, or the database of DATABASE_URL. */
async function main() {
  const databaseUrl = configuredDatabaseUrl();
  const stratum = await openConfigured((line) => console.log(line));
  await installDemosOnFirstStart(stratum, process.env, (line) => console.log(line));
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
