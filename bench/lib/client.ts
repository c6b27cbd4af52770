import http from 'node:http';

/** Something that answers HTTP requests: a Hono app in process (`app.request`) or a server over fetch. */
export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

export const httpFetcher = (base: string): Fetcher => (path, init) => fetch(`${base}${path}`, init);

/**
 * Like httpFetcher, over node:http with no time limit: fetch gives up on an answer after five
 * minutes, and a definition change on a million rows may take longer.
 */
export const untimedHttpFetcher = (base: string): Fetcher => (path, init) => new Promise((resolve, reject) => {
  const body = typeof init.body === 'string' ? init.body : undefined;
  const headers = { ...(init.headers as Record<string, string> | undefined), ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) };
  const req = http.request(`${base}${path}`, { method: init.method ?? 'GET', headers, timeout: 0 }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('error', reject);
    res.on('end', () => {
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
      resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: out }));
    });
  });
  req.on('error', reject);
  req.end(body);
});

export interface Reply<T = any> {
  status: number;
  body: T;
}

/** A caller with an optional session cookie, as the benchmark and the loader use Stratum's API. */
export class Client {
  cookie = '';

  constructor(private readonly fetcher: Fetcher) {}

  async request<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.fetcher(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T };
  }

  get = <T = any>(path: string) => this.request<T>('GET', path);
  post = <T = any>(path: string, body?: unknown) => this.request<T>('POST', path, body);

  /** Like `request`, but anything but `status` throws with the answer. */
  async expect<T = any>(status: number, method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.request<T>(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${r.status}: ${JSON.stringify(r.body).slice(0, 500)}`);
    return r.body;
  }

  async login(username: string, password: string): Promise<this> {
    await this.expect(200, 'POST', '/api/auth/login', { username, password });
    return this;
  }
}
