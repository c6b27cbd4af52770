import { serveFloor } from './serve.js';
import { f2Schema } from './schema.js';

/** F2: hand-written SQL on Stratum's own tables and indexes, using whatever the engine added (detected at start). */
serveFloor('F2', f2Schema).catch((err) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
