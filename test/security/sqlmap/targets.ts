/**
 * The requests sqlmap attacks, on the demo CRM's customers: every parameter of a list, an
 * aggregate and a single read that reaches the query builder, and the login body. A `*` in a
 * URL is sqlmap's mark for a place to inject that is not a named parameter (the id in the path).
 */

export interface Target {
  readonly name: string;
  readonly path: string;
  /** The parameters to inject (`-p`); none when the URL carries a `*` mark. */
  readonly params: readonly string[];
  /** A JSON body: the request is a POST. */
  readonly body?: Readonly<Record<string, string>>;
  /** Sent without the session cookie. */
  readonly anonymous?: boolean;
}

const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));

export const TARGETS: readonly Target[] = [
  {
    name: 'list',
    path: `/api/data/customer?filter=${json({ name: { contains: 'a' } })}&q=a&sort=name&page=1&pageSize=5&fields=name,phone`,
    params: ['filter', 'q', 'sort', 'page', 'pageSize', 'fields'],
  },
  {
    name: 'aggregate',
    path: `/api/data/customer/aggregate?groupBy=status&metrics=count()&filter=${json({ name: { contains: 'a' } })}`,
    params: ['groupBy', 'metrics', 'filter'],
  },
  { name: 'get (id in the path)', path: '/api/data/customer/1*', params: [] },
  { name: 'get (fields)', path: '/api/data/customer/1?fields=name,phone', params: ['fields'] },
  // Last: the login may throttle repeated failures (429), and the session the others use is taken before.
  { name: 'login', path: '/api/auth/login', params: ['username', 'password'], body: { username: 'sqlmap-probe', password: 'not-the-password' }, anonymous: true },
];
