import { serveFloor } from './serve.js';
import { F1_SCHEMA } from './schema.js';

/** F1: hand-written SQL on the plain, normalised schema (bench/lib/plain-schema.ts). */
serveFloor('F1', async () => F1_SCHEMA).catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
