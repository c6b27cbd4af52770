/**
 * `/api/docs`: Swagger UI (swagger-ui-dist, which renders OpenAPI 3.1) from files served out of
 * node_modules, because a server may have no internet and a CDN would also see every reader.
 * The page holds no data: it fetches /api/openapi.json with the reader's own session, and
 * offers a login form when there is none.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The files of swagger-ui-dist the page uses, by the name they are served under. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
};

export const DOCS_PATH = '/api/docs';
export const ASSET_NAMES = [...Object.keys(ASSETS), 'docs.js'];

const dist = () => path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const loaded = new Map<string, Uint8Array>();

/** An asset's bytes and content type, or undefined for a name that is not one of them. */
export async function docsAsset(name: string): Promise<{ body: Uint8Array | string; type: string } | undefined> {
  if (name === 'docs.js') return { body: DOCS_SCRIPT, type: 'text/javascript; charset=utf-8' };
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return undefined;
  let body = loaded.get(name);
  if (!body) loaded.set(name, (body = new Uint8Array(await readFile(path.join(dist(), asset.file)))));
  return { body, type: asset.type };
}

export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Stratum API</title>
  <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
  <style>
    body { margin: 0; font-family: sans-serif; }
    #login:not([hidden]) { max-width: 22rem; margin: 4rem auto; display: grid; gap: .6rem; }
    #login input, #login button { font: inherit; padding: .4rem; }
    #message { color: #b00020; min-height: 1.2em; }
  </style>
</head>
<body>
  <form id="login" hidden>
    <h1>Stratum API</h1>
    <p>Log in to see the modules and operations you may use.</p>
    <input name="username" autocomplete="username" placeholder="Username" required>
    <input name="password" type="password" autocomplete="current-password" placeholder="Password" required>
    <button type="submit">Log in</button>
    <div id="message" role="alert"></div>
  </form>
  <div id="swagger-ui"></div>
  <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
  <script src="${DOCS_PATH}/docs.js"></script>
</body>
</html>
`;

/** The page's script: a file, not inline, so that a strict Content-Security-Policy can allow it. */
const DOCS_SCRIPT = `(function () {
  var form = document.getElementById('login');
  var message = document.getElementById('message');
  function say(text) { message.textContent = text; }
  function load() {
    return fetch('/api/openapi.json', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 401) { form.hidden = false; return; }
        return res.json().then(function (body) {
          if (!res.ok) { form.hidden = false; say(body && body.error ? body.error.message : 'The document could not be loaded'); return; }
          form.hidden = true;
          window.ui = SwaggerUIBundle({ spec: body, dom_id: '#swagger-ui', deepLinking: true, withCredentials: true,
            presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout' });
        });
      })
      .catch(function (e) { form.hidden = false; say(String(e)); });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = new FormData(form);
    fetch('/api/auth/login', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: data.get('username'), password: data.get('password') }) })
      .then(function (res) {
        if (res.ok) { say(''); return load(); }
        return res.json().then(function (body) { say(body && body.error ? body.error.message : 'Login failed'); });
      })
      .catch(function (e) { say(String(e)); });
  });
  load();
})();
`;
