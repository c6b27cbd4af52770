/**
 * A read that met a column or table a plan was switching (MariaDB runs a plan's DDL statement by
 * statement) is answered again once the switch is over, with the new definition, instead of
 * failing: reads have no effect, so a second answer is safe. A write is not retried; its
 * transaction wrote nothing, and it is answered 503 with Retry-After (core/api/errors.ts).
 */
import type { Context, Next } from 'hono';
import type { AppEnv } from './env.js';
import { missingTableOrColumn } from './errors.js';

/** How long a read waits for a switch to end before it gives up with 503. */
const WAIT_MS = 5_000;
const POLL_MS = 50;
const AGAIN = 'x-stratum-read-again';

export function readAgainAfterSwitch(again: (request: Request, env: unknown) => Promise<Response>) {
  return async (c: Context<AppEnv>, next: Next): Promise<void> => {
    await next();
    const method = c.req.method;
    if ((method !== 'GET' && method !== 'HEAD') || !c.error || !missingTableOrColumn(c.error) || c.req.header(AGAIN)) return;
    const data = c.get('data');
    if (!data || !(await switchEnded(c, data.graph.generation))) return;
    const headers = new Headers(c.req.raw.headers);
    headers.set(AGAIN, '1');
    c.res = undefined;
    c.res = await again(new Request(c.req.raw, { headers }), c.env);
  };
}

/** Waits until the definitions moved past `generation`: the switch has stored the new ones. */
async function switchEnded(c: Context<AppEnv>, generation: number): Promise<boolean> {
  const stratum = c.get('stratum');
  for (let waited = 0; waited < WAIT_MS; waited += POLL_MS) {
    if ((await stratum.registry.generation()) !== generation) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
