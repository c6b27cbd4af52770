import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A server the benchmark started; `stop()` ends it (SIGTERM, then SIGKILL). */
export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** Everything it printed, for errors. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let hooked = false;

/** Ends every child still running when this process exits, whatever the reason. */
function hookExit() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** A port nobody listens on at the moment, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts `node --import tsx <script>` in `cwd` and resolves once it prints `ready`; rejects if it
 * exits first or takes longer than `timeoutMs`.
 */
export async function startChild(opts: {
  name: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  ready: RegExp;
  timeoutMs: number;
  port: number;
}): Promise<Child> {
  hookExit();
  const child = spawn(process.execPath, ['--import', 'tsx', opts.script], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => {
    running.delete(child);
    resolve();
  }));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.name} did not start within ${opts.timeoutMs / 1000} s:\n${out.slice(-2000)}`)), opts.timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (opts.ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited with ${code} before it was ready:\n${out.slice(-2000)}`));
    });
  }).catch(async (err) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });
  return {
    name: opts.name,
    pid: child.pid!,
    port: opts.port,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** VmRSS and VmHWM (peak) of a process, in MiB, from /proc (Linux). */
export function memoryOf(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
