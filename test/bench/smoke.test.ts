import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { runSmoke } from '../../bench/smoke.js';

/**
 * The benchmark's code keeps working. A 10k-order run of its generator, users and rules
 * (MariaDB, like the bench), and Stratum's answers to Q1–Q4 equal the hand-written floors' (F1 on
 * the plain schema, F2 on Stratum's tables) for every user; Q5 creates an order. Concurrent writers
 * (bench/concurrent-writes.ts, quick) get only 2xx answers on both databases.
 */
describe.skipIf(!testDialects().includes('mariadb'))('bench smoke (10k orders) [mariadb]', () => {
  it('Stratum, F1 and F2 give the same answers to Q1–Q4 for every bench user', async () => {
    const result = await runSmoke({ orders: 10_000 });
    expect(result.compared).toBe(48);
    expect(result.schemaChanges).toBe(3); // bench/schema-changes.ts: rename, widening, conversion under Q4
    expect(result.schemaChangeLeftovers).toEqual([]); // and the table is as it was once they are undone
    // bench/concurrent-writes.ts --quick: creates and PATCHes from 1 and 20 connections on SQLite and MariaDB
    expect(result.concurrentWrites.windows).toBe(6);
    expect(result.concurrentWrites.non2xx).toBe(0);
    expect(result.concurrentWrites.errors).toBe(0);
    expect(result.concurrentWrites.mismatches).toEqual([]);
  }, 300_000);
});
