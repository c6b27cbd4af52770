import type { Filter } from './filter-types.js';
import type { CreateInput, FieldPath, Patch, Selected, SortKey } from './record-types.js';
import type { Transport } from './transport.js';

export interface ListOptions<T, F extends string> {
  filter?: Filter<T>;
  /** Searched in the module's `x-list.search` fields. */
  q?: string;
  /** `['-orderDate', 'number']`; the module's `x-list.sort` when left out. */
  sort?: SortKey<T> | readonly SortKey<T>[];
  page?: number;
  pageSize?: number;
  /** Only these fields (and `id`); a path embeds the referenced record. */
  fields?: readonly F[];
  /** How `meta.total` is counted: `exact` (the default), `capped` (at `totalCap`), `estimated`, `none`. */
  total?: 'exact' | 'capped' | 'estimated' | 'none';
  totalCap?: number;
  /** Keyset paging: `''` for the first page, then the `meta.next` of the page before. */
  after?: string;
}

export interface ListMeta {
  total: number | null;
  page: number;
  pageSize: number;
  totalCapped?: boolean;
  totalEstimated?: boolean;
  /** With `after`: the cursor of the next page, or null at the end. */
  next?: string | null;
}

export interface Page<R> {
  data: R[];
  meta: ListMeta;
}

export type DateBucket = 'day' | 'week' | 'month' | 'quarter' | 'year';

/** `status`, `salesman.department.code`, `month(orderDate)`. */
export type GroupExpr<T> = FieldPath<T> | `${DateBucket}(${FieldPath<T>})`;

/** `count()`, `sum(amount)`, `countDistinct(customer)`. */
export type MetricExpr<T> = 'count()' | `${'sum' | 'avg' | 'min' | 'max' | 'countDistinct'}(${FieldPath<T>})`;

export interface AggregateOptions<T, G extends string, M extends string> {
  groupBy?: readonly G[];
  /** `count()` when left out. */
  metrics?: readonly M[];
  filter?: Filter<T>;
  limit?: number;
}

/** One group: its keys and metrics, each under the expression as written. */
export type AggregateRow<G extends string, M extends string> = {
  [K in G | M]: K extends M ? (K extends 'count()' | `countDistinct(${string})` ? number : number | string | null) : string | number | boolean | null;
};

export interface UpdateOptions {
  /** The version the change was made on: sent as If-Match, refused with 409 `stale` when the record changed since. */
  version?: number;
}

/**
 * The records of one module (`/api/data/<m>`), typed by its record type T. `W` adds what may be
 * written but is never read back, such as a user's `password`.
 */
export class ModuleClient<T, W extends object = {}> {
  constructor(
    private readonly http: Transport,
    readonly name: string,
  ) {}

  private get path() {
    return `/api/data/${encodeURIComponent(this.name)}`;
  }

  /** A page of the records the caller may read, and their total. */
  list<F extends FieldPath<T> = never>(opts: ListOptions<T, F> = {}): Promise<Page<Selected<T, F>>> {
    return this.http.request('GET', this.path, {
      query: {
        filter: opts.filter === undefined ? undefined : JSON.stringify(opts.filter),
        q: opts.q,
        sort: typeof opts.sort === 'string' ? opts.sort : opts.sort?.join(','),
        page: opts.page,
        pageSize: opts.pageSize,
        fields: opts.fields?.join(','),
        total: opts.total,
        totalCap: opts.totalCap,
        after: opts.after,
      },
    });
  }

  /** One record; 404 (StratumError `not_found`) also when the caller may not see it. */
  get<F extends FieldPath<T> = never>(id: number, opts: { fields?: readonly F[] } = {}): Promise<Selected<T, F>> {
    return this.http.request('GET', `${this.path}/${id}`, { query: { fields: opts.fields?.join(',') } });
  }

  create(input: CreateInput<T> & W): Promise<T> {
    return this.http.request('POST', this.path, { body: input });
  }

  /** Changes the given fields only. */
  update(id: number, patch: Patch<T> & Partial<W>, opts: UpdateOptions = {}): Promise<T> {
    return this.http.request('PATCH', `${this.path}/${id}`, {
      body: patch,
      ...(opts.version !== undefined ? { headers: { 'if-match': String(opts.version) } } : {}),
    });
  }

  async delete(id: number): Promise<void> {
    await this.http.request('DELETE', `${this.path}/${id}`);
  }

  /** Grouped metrics over the records the caller may read. */
  async aggregate<G extends GroupExpr<T> = never, M extends MetricExpr<T> = 'count()'>(opts: AggregateOptions<T, G, M> = {}): Promise<AggregateRow<G, M>[]> {
    const reply = await this.http.request<{ data: AggregateRow<G, M>[] }>('GET', `${this.path}/aggregate`, {
      query: {
        groupBy: opts.groupBy?.join(','),
        metrics: opts.metrics?.join(','),
        filter: opts.filter === undefined ? undefined : JSON.stringify(opts.filter),
        limit: opts.limit,
      },
    });
    return reply.data;
  }
}
