/** The reports' one way to numbers: `GET /api/data/<m>/aggregate` as the logged-in user, so their rules apply. */
import { api, type Rec } from '../api.js';

export interface AggregateRequest {
  module: string;
  groupBy: readonly string[];
  metrics: readonly string[];
  filter?: Rec | undefined;
}

export async function fetchAggregate({ module, groupBy, metrics, filter }: AggregateRequest): Promise<Rec[]> {
  const reply = await api.request<{ data: Rec[] }>('GET', `/api/data/${encodeURIComponent(module)}/aggregate`, {
    query: { groupBy: groupBy.join(','), metrics: metrics.join(','), ...(filter ? { filter: JSON.stringify(filter) } : {}) },
  });
  return reply.data;
}

/** Conditions AND-ed, the empty ones left out. */
export function allOf(...parts: (Rec | undefined)[]): Rec | undefined {
  const present = parts.filter((p): p is Rec => !!p && Object.keys(p).length > 0);
  return present.length === 0 ? undefined : present.length === 1 ? present[0] : { and: present };
}
