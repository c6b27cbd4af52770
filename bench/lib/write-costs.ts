import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Client } from './client.js';

/** One kind of write, timed through the API (median of several, ms), next to its baseline. */
export interface WriteCost {
  readonly write: string;
  readonly rows: number;
  readonly medianMs: number;
  readonly baseline: string;
  readonly baselineMs: number;
}

/**
 * What the maintained department column and counts cost writes (a measured, reported amount):
 * a salesman moving department rewrites `_scope` of all their
 * orders and moves them between counts; an order changing salesman moves one row. Each is timed
 * against an update of the same record that moves nothing, and every move is undone.
 */
export async function measureWriteCosts(admin: Client, pool: Pool, repeat = 7): Promise<WriteCost[]> {
  const [salesmen] = await pool.query<RowDataPacket[]>(
    'SELECT s.id, s.department, s.name, COUNT(o.id) AS n FROM salesman s JOIN `order` o ON o.salesman = s.id GROUP BY s.id, s.department, s.name ORDER BY n DESC LIMIT 1',
  );
  const salesman = salesmen[0]!;
  const [departments] = await pool.query<RowDataPacket[]>('SELECT id FROM department WHERE id <> ? ORDER BY id LIMIT 1', [salesman.department]);
  const [orders] = await pool.query<RowDataPacket[]>('SELECT id, salesman, amount FROM `order` ORDER BY id LIMIT 1');
  const [others] = await pool.query<RowDataPacket[]>('SELECT id FROM salesman WHERE id <> ? ORDER BY id LIMIT 1', [orders[0]!.salesman]);
  const order = orders[0]!;
  const time = async (fn: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  const patch = (path: string, body: unknown) => admin.expect(200, 'PATCH', path, body);
  const moves: number[] = [];
  const renames: number[] = [];
  const orderMoves: number[] = [];
  const orderEdits: number[] = [];
  for (let i = 0; i < repeat; i++) {
    moves.push(await time(() => patch(`/api/data/salesman/${salesman.id}`, { department: departments[0]!.id })));
    await patch(`/api/data/salesman/${salesman.id}`, { department: salesman.department });
    renames.push(await time(() => patch(`/api/data/salesman/${salesman.id}`, { name: `Renamed ${i}` })));
    orderMoves.push(await time(() => patch(`/api/data/order/${order.id}`, { salesman: others[0]!.id })));
    await patch(`/api/data/order/${order.id}`, { salesman: order.salesman });
    orderEdits.push(await time(() => patch(`/api/data/order/${order.id}`, { amount: 1000 + i })));
  }
  // The data as generated: the next run compares answers with the plain schema's.
  await patch(`/api/data/salesman/${salesman.id}`, { name: salesman.name });
  await patch(`/api/data/order/${order.id}`, { amount: Number(order.amount) });
  return [
    { write: 'a salesman moves department', rows: Number(salesman.n), medianMs: median(moves), baseline: 'the same salesman renamed', baselineMs: median(renames) },
    { write: 'an order changes salesman', rows: 1, medianMs: median(orderMoves), baseline: 'the same order changes amount', baselineMs: median(orderEdits) },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function renderWriteCosts(costs: readonly WriteCost[]): string[] {
  const lines = ['## What the maintained department column and counts cost writes', '',
    'Median of 7 through the API, alone (after the load runs); every move is undone before the next.', '',
    '| write | rows moved | ms | baseline (moves nothing) | ms | extra |', '|---|--:|--:|---|--:|--:|'];
  for (const c of costs) {
    lines.push(`| ${c.write} | ${c.rows.toLocaleString('en')} | ${c.medianMs.toFixed(1)} | ${c.baseline} | ${c.baselineMs.toFixed(1)} | ${(c.medianMs - c.baselineMs).toFixed(1)} ms |`);
  }
  lines.push('');
  return lines;
}
