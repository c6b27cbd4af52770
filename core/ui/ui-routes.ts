/**
 * The admin UI (ui/), served by the API's own server: no build step, no dev server, no CDN
 * (servers may be offline). The shell answers `/`, the generic UI's deep links (`/m/customer/12`)
 * and the pages of enabled plugins; the page then asks the API for data with the reader's session.
 * The scripts are bundled in memory on first use (core/ui/ui-bundle.ts).
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../api/env.js';
import { notFound, httpError } from '../errors.js';
import { forgetUiBundles, uiBundle, type UiBundle } from './ui-bundle.js';
import { uiManifest } from '../plugins/ui-manifest.js';
import type { Plugin } from '../plugins/define-plugin.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The generic UI's own paths; a plugin's pages come from its definition. */
const UI_PATHS = /^\/(login|m|admin)(\/|$)|^\/$/;

async function bundleOf(c: Context<AppEnv>): Promise<UiBundle> {
  // UI_DEV=1: every page load rebuilds the bundle (about 0.1 s), so an edit in ui/ shows on reload.
  if (process.env.UI_DEV === '1' && !c.req.path.startsWith('/ui/')) forgetUiBundles();
  try {
    return await uiBundle(c.get('stratum').plugins.plugins);
  } catch (e) {
    throw httpError(500, 'ui_build_failed', `The admin UI could not be built: ${(e as Error).message.slice(0, 500)}`);
  }
}

async function enabledPlugins(c: Context<AppEnv>): Promise<readonly Plugin[]> {
  const stratum = c.get('stratum');
  return (await stratum.plugins.active(await stratum.registry.generation())).enabled;
}

async function shell(c: Context<AppEnv>) {
  const path = c.req.path;
  const enabled = await enabledPlugins(c);
  const host = c.get('stratum').plugins;
  const pluginPage = enabled.some((p) => host.hasPage(p.name, path));
  if (!UI_PATHS.test(path) && !pluginPage) throw notFound('This page');
  const bundle = await bundleOf(c);
  const manifest = uiManifest(enabled, bundle.plugins);
  c.header('Content-Security-Policy', CSP);
  c.header('Cache-Control', 'no-cache');
  // Data, not script: the CSP does not run it, and `<` is escaped so that no text can close the tag.
  const plugins = JSON.stringify(manifest).replace(/</g, '\\u003c');
  return c.html(`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Stratum</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/ui/app.css?v=${bundle.version}">
  <script type="application/json" id="stratum-plugins">${plugins}</script>
  <script type="module" src="/ui/app.js?v=${bundle.version}"></script>
</head>
<body>
  <div id="app"><noscript>The Stratum admin needs JavaScript.</noscript></div>
</body>
</html>
`);
}

async function asset(c: Context<AppEnv>, at: string) {
  const bundle = await bundleOf(c);
  const file = bundle.files.get(at);
  if (!file) throw notFound('This file');
  const plugin = /^plugins\/([a-z][a-z0-9_]*)-/.exec(at)?.[1];
  // A disabled plugin's script is not served: nothing of it reaches the browser.
  if (plugin && !(await enabledPlugins(c)).some((p) => p.name === plugin)) throw notFound('This file');
  c.header('Content-Type', file.type);
  // app.js and app.css are versioned by the query; every other file by the hash in its name.
  const versioned = at.startsWith('app.') ? c.req.query('v') === bundle.version : true;
  c.header('Cache-Control', versioned ? 'public, max-age=31536000, immutable' : 'no-cache');
  c.header('Vary', 'Accept-Encoding');
  if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('Content-Encoding', 'gzip');
    return c.body(new Uint8Array(file.gzipped));
  }
  return c.body(file.text);
}

export const uiRoutes = new Hono<AppEnv>()
  .get('/ui/:file{(app\\.js|app\\.css)}', (c) => asset(c, c.req.param('file')))
  .get('/ui/:dir{(chunks|plugins)}/:file{[A-Za-z0-9_.-]+}', (c) => asset(c, `${c.req.param('dir')}/${c.req.param('file')}`))
  .get('/api/*', () => {
    throw notFound('This route');
  })
  .get('/*', shell);
