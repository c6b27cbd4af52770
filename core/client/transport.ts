import { StratumError } from './stratum-error.js';

export interface ClientOptions {
  /** Where the server is: `http://127.0.0.1:3000`, or `''` for the page's own origin. */
  baseUrl: string;
  /** An API token (`POST /api/auth/tokens`), sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Defaults to the global `fetch` (Node 20, browsers). */
  fetch?: typeof fetch;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Browsers: `include` (the default) sends the session cookie, also to another origin. */
  credentials?: RequestCredentials;
}

export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Sends requests and turns non-2xx answers into StratumError. Where the platform has no cookie
 * jar (Node scripts) it keeps the session cookie of a login itself; a browser hides Set-Cookie
 * and keeps the cookie in its own jar, so there this does nothing.
 */
export class Transport {
  private readonly fetch: typeof fetch;
  private readonly base: string;
  private readonly cookies = new Map<string, string>();

  constructor(private readonly options: ClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    else if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const res = await this.fetch(this.base + path + queryString(opts.query), {
      method,
      headers,
      credentials: this.options.credentials ?? 'include',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    this.keepCookie(res.headers);
    const text = res.status === 204 ? '' : await res.text();
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (!res.ok) throw StratumError.fromReply(res.status, res.statusText, body);
    return body as T;
  }

  private keepCookie(headers: Headers) {
    const all = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [];
    for (const line of all) {
      const pair = line.split(';')[0]!;
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      // A blank cookie (logout, an expired session) is the server ending it.
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
