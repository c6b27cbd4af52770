import { serve } from '@hono/node-server';
import type { Pool } from 'mysql2/promise';
import { floorPool } from '../lib/databases.js';
import { createFloor } from './floor-app.js';
import type { FloorSchema } from './schema.js';

/**
 * Runs a floor as its own process: `FLOOR_DATABASE_URL`, `PORT` (127.0.0.1 only). Prints
 * `<name> listening on <port>` once it has calibrated, which bench/run.ts waits for.
 * `FLOOR_CALIBRATE=0` skips the timing of Q1–Q3's variants: the floor then answers Q4 and Q5 only
 * (bench/schema-changes.ts, which measures Q4).
 */
export async function serveFloor(name: 'F1' | 'F2', schemaOf: (pool: Pool) => Promise<FloorSchema>): Promise<void> {
  const url = process.env.FLOOR_DATABASE_URL;
  if (!url) throw new Error('Set FLOOR_DATABASE_URL (bench/run.ts does)');
  const port = Number(process.env.PORT ?? 0);
  const pool = floorPool(url, 10);
  const floor = await createFloor(await schemaOf(pool), pool, (line) => console.log(line), process.env.FLOOR_CALIBRATE !== '0');
  const server = serve({ fetch: floor.app.fetch, port, hostname: '127.0.0.1' }, (info) => console.log(`${name} listening on ${info.port}`));
  const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
