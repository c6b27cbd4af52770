/**
 * Matches a plugin's declared routes (`"POST /notes/:id/close"`) against a request. Plugin
 * routes are looked up per request instead of registered on the app, so that enabling and
 * disabling a plugin (a database row) needs no rebuilt router, and so that the middleware can
 * tell a public route from one behind login before any handler runs.
 */

export interface CompiledRoute<S> {
  readonly method: string;
  readonly path: string;
  readonly spec: S;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** In match order: a route with fewer `:params` first, so `/notes/new` wins over `/notes/:id`. */
export function compileRoutes<S>(routes: Readonly<Record<string, S>>): CompiledRoute<S>[] {
  const compiled = Object.entries(routes).map(([route, spec]) => {
    const space = route.indexOf(' ');
    const method = route.slice(0, space);
    const path = route.slice(space + 1);
    const names: string[] = [];
    const source = path === '/'
      ? ''
      : path
          .split('/')
          .slice(1)
          .map((segment) => {
            if (segment.startsWith(':')) {
              names.push(segment.slice(1));
              return '/([^/]+)';
            }
            return '/' + segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('');
    return { method, path, spec, names, pattern: new RegExp(`^${source}/?$`) };
  });
  return compiled.sort((a, b) => a.names.length - b.names.length);
}

/** The route for a method and a path inside the plugin (`/notes/7/close`), with its parameters. */
export function matchRoute<S>(
  routes: readonly CompiledRoute<S>[],
  method: string,
  path: string,
): { route: CompiledRoute<S>; params: Record<string, string> } | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  for (const route of routes) {
    if (route.method !== wanted) continue;
    const m = route.pattern.exec(path === '' ? '/' : path);
    if (!m) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1]!);
      } catch {
        params[name] = m[i + 1]!;
      }
    });
    return { route, params };
  }
  return undefined;
}
