/**
 * History routing without a library: links are plain `<a href>`, and a click on one that stays in
 * the app is turned into pushState, so that middle-click, copy-link and reload all keep working.
 */
import { useEffect, useState } from 'preact/hooks';

const EVENT = 'stratum:navigate';

export interface Location {
  path: string;
  query: URLSearchParams;
}

const current = (): Location => ({ path: window.location.pathname, query: new URLSearchParams(window.location.search) });

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

/** The current location; re-renders its component on every navigation. */
export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = () => setLocation(current());
    window.addEventListener(EVENT, update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener(EVENT, update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Called once: same-origin links without `download` or `target` navigate in place. */
export function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const a = (event.target as Element | null)?.closest?.('a');
    if (!a || a.hasAttribute('download') || a.target || a.origin !== window.location.origin) return;
    if (a.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(a.pathname + a.search);
  });
}

/** `/m/:module/:id` against a path: the named parts, or undefined. */
export function match(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) params[want[i]!.slice(1)] = decodeURIComponent(got[i]!);
    else if (want[i] !== got[i]) return undefined;
  }
  return params;
}

/** A URL of the current path with some query parameters changed (undefined or '' removes one). */
export function withQuery(location: Location, changes: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams(location.query);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') query.delete(key);
    else query.set(key, String(value));
  }
  const text = query.toString();
  return location.path + (text ? `?${text}` : '');
}
