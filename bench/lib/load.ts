import autocannon from 'autocannon';
import type { RequestSpec } from './queries.js';

export interface LoadResult {
  /** Mean requests per second over the measured window. */
  readonly rps: number;
  /** Latency in milliseconds. */
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  /** Answers that were not 2xx, connection errors and timeouts: any of them spoils the measurement. */
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}

export interface LoadOptions {
  readonly connections: number;
  /** Seconds. */
  readonly warmup: number;
  readonly duration: number;
}

/**
 * autocannon against one URL: a warm-up that is thrown away (JIT, connection pools, the
 * database's caches), then the measured window. Both are bounded in time; only 127.0.0.1 is a
 * target. A POST (Q5) gets a new body, with a new order number, on every request.
 */
export async function measure(
  base: string, spec: RequestSpec, headers: Record<string, string>, path: string, opts: LoadOptions,
  /** Called after the warm-up, to let what it left running finish before the measured window. */
  settle: () => Promise<void> = async () => undefined,
): Promise<LoadResult> {
  const url = new URL(base);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`The benchmark only loads 127.0.0.1, not ${url.hostname}`);
  let n = 0;
  // One counter across warm-up and measurement: every order number is new.
  const run = (duration: number) =>
    autocannon({
      url: base,
      connections: opts.connections,
      duration,
      timeout: 30,
      requests: [{
        method: spec.method,
        path,
        headers: { ...headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) },
        ...(spec.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify(spec.body!(++n)) }) } : {}),
      }],
    });
  if (opts.warmup > 0) {
    await run(opts.warmup);
    await settle();
  }
  const r = await run(opts.duration);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
