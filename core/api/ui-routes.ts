/**
 * The admin UI (ui/), served by the API's own server. ui/main.ts and what it imports (preact,
 * htm, core/client) are bundled by esbuild in memory on first use: no build step, no dev server,
 * no CDN (servers may be offline), and one script to cache. The shell answers `/` and every
 * deep link (`/m/customer/12`); the page then asks the API for data with the reader's session.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import type { AppEnv } from './env.js';
import { HttpError } from '../errors.js';

const UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../ui');

interface Bundle {
  js: string;
  css: string;
  /** The same, gzipped once per build: the script is ~400 KB, ~120 KB compressed. */
  gzipped: { js: Buffer; css: Buffer };
  /** Content hash: the shell links `app.js?v=<hash>`, so the files can be cached for good. */
  version: string;
}

let bundle: Promise<Bundle> | undefined;

async function build(): Promise<Bundle> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(UI_DIR, 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]!.text;
  const css = await readFile(path.join(UI_DIR, 'styles.css'), 'utf8');
  const gzipped = { js: gzipSync(js, { level: 9 }), css: gzipSync(css, { level: 9 }) };
  return { js, css, gzipped, version: createHash('sha256').update(js).update(css).digest('hex').slice(0, 12) };
}

/** The bundled UI; built once per process (a failed build is retried on the next request). */
function uiBundle(): Promise<Bundle> {
  bundle ??= build().catch((e: unknown) => {
    bundle = undefined;
    throw new HttpError(500, 'ui_build_failed', `The admin UI could not be built: ${(e as Error).message.slice(0, 500)}`);
  });
  return bundle;
}

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

async function shell(c: Context<AppEnv>) {
  // UI_DEV=1: every page load rebuilds the bundle (about 0.1 s), so an edit in ui/ shows on reload.
  if (process.env.UI_DEV === '1') bundle = undefined;
  const { version } = await uiBundle();
  c.header('Content-Security-Policy', CSP);
  c.header('Cache-Control', 'no-cache');
  return c.html(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Stratum</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/ui/app.css?v=${version}">
  <script type="module" src="/ui/app.js?v=${version}"></script>
</head>
<body>
  <div id="app"><noscript>The Stratum admin needs JavaScript.</noscript></div>
</body>
</html>
`);
}

async function asset(c: Context<AppEnv>, kind: 'js' | 'css') {
  const b = await uiBundle();
  c.header('Content-Type', kind === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
  c.header('Cache-Control', c.req.query('v') === b.version ? 'public, max-age=31536000, immutable' : 'no-cache');
  c.header('Vary', 'Accept-Encoding');
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(b.gzipped[kind]));
  }
  return c.body(b[kind]);
}

/**
 * `/`, `/login`, `/m/…`, the designers' `/admin/…`, the teacher pages' `/teach/…`, the student
 * portal's `/portal/…` and the public enrollment page `/enroll/<token>` answer the shell; `/ui/app.js` and `/ui/app.css` are the bundle.
 */
export const uiRoutes = new Hono<AppEnv>()
  .get('/', shell)
  .get('/login', shell)
  .get('/m/*', shell)
  .get('/admin/*', shell)
  .get('/teach/*', shell)
  .get('/reports/*', shell)
  .get('/portal/*', shell)
  .get('/enroll/:token', shell)
  .get('/ui/app.js', (c) => asset(c, 'js'))
  .get('/ui/app.css', (c) => asset(c, 'css'));
