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

/** A window measured while something else ran: the load figures, the worst latency and the longest time no answer came back. */
export interface DuringResult extends LoadResult {
  readonly max: number;
  /** Milliseconds: the longest time no answer came back (any connection), and when it began, from the start of the work. */
  readonly longestGap: number;
  readonly longestGapAt: number;
  /** Seconds the work took: the window. */
  readonly seconds: number;
  /** The answers by status code. */
  readonly statuses: Readonly<Record<string, number>>;
}

/**
 * autocannon against one URL for as long as `work` runs: the load starts, `work` starts a moment
 * later, and the window is the time `work` took; every figure (rate, percentiles, statuses) is
 * of the answers that came back within it. `work`'s result or error is passed on.
 */
export async function measureDuring<T>(
  base: string, spec: RequestSpec, headers: Record<string, string>, path: string, connections: number, work: () => Promise<T>,
): Promise<{ load: DuringResult; outcome: PromiseSettledResult<T> }> {
  const url = new URL(base);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`The benchmark only loads 127.0.0.1, not ${url.hostname}`);
  const answers: { at: number; ms: number; status: number }[] = [];
  let finished: (r: autocannon.Result) => void = () => undefined;
  let failed: (e: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const instance = autocannon({
    url: base,
    connections,
    duration: 24 * 3600,
    timeout: 120,
    // It stops at its next sample: every 100 ms, not every second.
    sampleInt: 100,
    requests: [{ method: spec.method, path, headers: { ...headers, ...(spec.body ? { 'content-type': 'application/json' } : {}) } }],
  }, (err, result) => (err ? failed(err) : finished(result)));
  instance.on('response', (_client, status, _bytes, ms) => answers.push({ at: performance.now(), ms, status }));
  // The connections open and the first answers come back before the work starts.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const start = performance.now();
  const outcome = await Promise.allSettled([work()]).then(([o]) => o!);
  const end = performance.now();
  instance.stop();
  const r = await done;
  const inside = answers.filter((a) => a.at >= start && a.at <= end);
  const sorted = inside.map((a) => a.ms).sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  let longestGap = 0;
  let longestGapAt = 0;
  let last = start;
  for (const t of [...inside.map((a) => a.at), end]) {
    if (t - last > longestGap) {
      longestGap = t - last;
      longestGapAt = last - start;
    }
    last = t;
  }
  const statuses: Record<string, number> = {};
  for (const a of inside) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
  const seconds = (end - start) / 1000;
  return {
    load: {
      rps: inside.length / Math.max(seconds, 0.001),
      p50: Math.round(pct(50) * 10) / 10,
      p99: Math.round(pct(99) * 10) / 10,
      max: Math.round((sorted.at(-1) ?? Number.NaN) * 10) / 10,
      requests: inside.length,
      non2xx: inside.filter((a) => a.status < 200 || a.status > 299).length,
      errors: r.errors,
      timeouts: r.timeouts,
      longestGap: Math.round(longestGap),
      longestGapAt: Math.round(longestGapAt),
      seconds,
      statuses,
    },
    outcome,
  };
}
