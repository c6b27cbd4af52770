import type { Modules } from '../generated/modules.js';
import { AuthClient } from './auth-client.js';
import { ModuleClient } from './module-client.js';
import { Transport, type ClientOptions, type RequestOptions } from './transport.js';

export interface StratumClient<M extends object> {
  /** The records of one module, typed by `M[K]`. `W` adds write-only fields (a user's `password`). */
  data<K extends keyof M & string, W extends object = {}>(module: K): ModuleClient<M[K], W>;
  auth: AuthClient;
  /** Any other route (`/api/modules`…), with the same errors and session. */
  request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<T>;
}

/**
 * A client of the Stratum API over `fetch`, for scripts and the UI. `M` maps module names to
 * record types: the generated `Modules` by default.
 *
 * @example
 * const stratum = createClient({ baseUrl: 'http://localhost:3000', token: process.env.STRATUM_TOKEN });
 * const { data } = await stratum.data('user').list({ filter: { 'department.code': { startsWith: '0010' } }, sort: ['-createdAt'] });
 */
export function createClient<M extends object = Modules>(options: ClientOptions): StratumClient<M> {
  const http = new Transport(options);
  return {
    data: <K extends keyof M & string, W extends object = {}>(module: K) => new ModuleClient<M[K], W>(http, module),
    auth: new AuthClient(http),
    request: (method, path, opts) => http.request(method, path, opts),
  };
}
