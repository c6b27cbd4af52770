/**
 * Small helpers shared by the access-control suite: strict status checks that print the body
 * on failure, sorted id lists, and admin-side reads that bypass nobody's scope but the admin's.
 */
import { expect } from 'vitest';
import type { Client, Reply, TestApp } from '../support/app.js';
import { filterParam } from '../support/app.js';

/** Asserts the status (printing the body when it differs) and returns the reply. */
export function expectStatus<T = any>(r: Reply<T>, status: number): Reply<T> {
  if (r.status !== status) expect({ status: r.status, body: r.body }).toEqual({ status, body: expect.anything() });
  return r;
}

/** Awaits a call and returns its body, failing with the body when the status differs. */
export async function ok<T = any>(p: Promise<Reply<T>>, status = 201): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);

/** The ids of a list reply, sorted. */
export const idsOf = (r: Reply<{ data: { id: number }[] }>) => sorted(r.body.data.map((d) => d.id));

/** Every id of a module a client can list (up to 500), sorted. */
export async function listIds(client: Client, module: string, filter?: unknown): Promise<number[]> {
  const r = expectStatus(await client.get(`/api/data/${module}?pageSize=500${filter === undefined ? '' : `&${filterParam(filter)}`}`), 200);
  return idsOf(r);
}

/** How many records of a module exist, counted straight in the table (no scope at all). */
export async function tableCount(app: TestApp, table: string): Promise<number> {
  const rows = await app.stratum.db.all({ sql: `SELECT COUNT(*) AS n FROM ${app.stratum.db.quote(table)}`, params: [] });
  return Number(rows[0]!.n);
}

/** One row of a table read straight from the database, or undefined. */
export async function tableRow(app: TestApp, table: string, id: number): Promise<Record<string, unknown> | undefined> {
  const rows = await app.stratum.db.all({ sql: `SELECT * FROM ${app.stratum.db.quote(table)} WHERE ${app.stratum.db.quote('id')} = $1`, params: [id] });
  return rows[0];
}

/** The 403 body the engine gives for a missing permission. */
export const forbiddenFor = (permission: string) => ({ error: expect.objectContaining({ code: 'forbidden', permission }) });
