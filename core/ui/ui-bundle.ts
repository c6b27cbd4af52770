/**
 * The admin UI's scripts: ui/main.ts and each plugin's client entry, bundled by esbuild in memory
 * in one build with code splitting. The app is `/ui/app.js`; a plugin's entry is
 * `/ui/plugins/<name>-<hash>.js`, loaded by the app only when one of its pieces is shown; what
 * both use (preact, the API client, the components) is in shared chunks under `/ui/chunks/`, so a
 * plugin's page runs on the same preact, session and language as the app, loaded once.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Plugin } from '../plugins/define-plugin.js';

export const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui');

export interface UiFile {
  readonly type: string;
  readonly text: string;
  /** Gzipped once per build: the app's script is ~400 KB, ~120 KB compressed. */
  readonly gzipped: Buffer;
}

export interface UiBundle {
  /** By path under /ui/: `app.js`, `app.css`, `chunks/…`, `plugins/…`. */
  readonly files: ReadonlyMap<string, UiFile>;
  /** Per plugin with a client part: its entry's path under /ui/, and its stylesheet's when it has one. */
  readonly plugins: ReadonlyMap<string, { readonly script: string; readonly style?: string }>;
  /** Content hash of everything: the shell links `app.js?v=<version>`, so the files can be cached for good. */
  readonly version: string;
}

const builds = new Map<string, Promise<UiBundle>>();
/** Nothing is written (`write: false`): the folder only names the outputs. */
const OUT_DIR = '/__stratum_ui__';

/** The bundle for these plugins; built once per process and set of plugins (a failed build is retried on the next call). */
export function uiBundle(plugins: readonly Plugin[]): Promise<UiBundle> {
  const entries = clientEntries(plugins);
  const key = JSON.stringify([...entries]);
  let built = builds.get(key);
  if (!built) {
    built = build(entries).catch((e: unknown) => {
      builds.delete(key);
      throw e;
    });
    builds.set(key, built);
  }
  return built;
}

/** UI_DEV=1: the next request builds again, so that an edit in ui/ shows on reload. */
export function forgetUiBundles(): void {
  builds.clear();
}

function clientEntries(plugins: readonly Plugin[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of plugins) {
    const entry = p.definition.ui?.entry;
    if (entry !== undefined) out.set(p.name, entry instanceof URL ? fileURLToPath(entry) : entry);
  }
  return out;
}

async function build(entries: ReadonlyMap<string, string>): Promise<UiBundle> {
  const { build } = await import('esbuild');
  const entryPoints: Record<string, string> = { app: path.join(UI_DIR, 'main.ts') };
  for (const [name, entry] of entries) entryPoints[`plugins/${name}`] = entry;
  const result = await build({
    entryPoints,
    bundle: true,
    splitting: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
    outdir: OUT_DIR,
    // The app keeps a fixed name (the shell versions it with ?v=); the rest is named by content.
    entryNames: '[dir]/[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  });
  const files = new Map<string, UiFile>();
  const file = (type: string, text: string): UiFile => ({ type, text, gzipped: gzipSync(text, { level: 9 }) });
  const plugins = new Map<string, { script: string; style?: string }>();
  const renamed = new Map<string, string>();
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const name = Object.entries(entryPoints).find(([, source]) => path.resolve(source) === path.resolve(meta.entryPoint!))?.[0];
    if (name === 'app') renamed.set(relative(output), 'app.js');
    else if (name) {
      const plugin = name.slice('plugins/'.length);
      plugins.set(plugin, { script: relative(output), ...(meta.cssBundle ? { style: relative(meta.cssBundle) } : {}) });
    }
  }
  for (const out of result.outputFiles) {
    const at = relative(out.path);
    const type = at.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    files.set(renamed.get(at) ?? at, file(type, out.text));
  }
  files.set('app.css', file('text/css; charset=utf-8', await readFile(path.join(UI_DIR, 'styles.css'), 'utf8')));
  const hash = createHash('sha256');
  for (const [at, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) hash.update(at).update(f.text);
  return { files, plugins, version: hash.digest('hex').slice(0, 12) };
}

/** An output's path under /ui/: esbuild names outputs in `outdir`, absolute or relative to the working folder. */
function relative(output: string): string {
  return output.slice(output.indexOf(OUT_DIR) + OUT_DIR.length + 1);
}
