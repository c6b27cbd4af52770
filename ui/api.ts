/** The UI's one way to the server: the typed client over fetch, with the page's session cookie. */
import { createClient, StratumError } from '../core/client/index.js';
import type { FieldMeta, ModuleMeta } from '../core/api/meta-modules.js';

export type { FieldMeta, ModuleMeta, RelationMeta } from '../core/api/meta-modules.js';
export { StratumError };

/** A record as the API returns it; modules are defined at runtime, so the UI types them loosely. */
export type Rec = Record<string, any>;

export const api = createClient<Record<string, Rec>>({ baseUrl: '', credentials: 'same-origin' });

/** The modules the logged-in user may read, with their actions and fields (`GET /api/meta/modules`). */
export async function loadMeta(): Promise<Map<string, ModuleMeta>> {
  const reply = await api.request<{ data: ModuleMeta[] }>('GET', '/api/meta/modules');
  return new Map(reply.data.map((m) => [m.name, m]));
}

export const fieldOf = (m: ModuleMeta, name: string): FieldMeta | undefined => m.fields.find((f) => f.name === name);

/** The message to show for any failure: the API's own message, or the network's. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
