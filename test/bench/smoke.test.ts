import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { runSmoke } from '../../bench/smoke.js';

/**
 * Issue 4: the benchmark's code keeps working. A 10k-order run of its generator, users and rules
 * (MariaDB, like the bench), and Stratum's answers to Q1–Q4 equal the hand-written floors' (F1 on
 * the plain schema, F2 on Stratum's tables) for every user; Q5 creates an order.
 */
describe.skipIf(!testDialects().includes('mariadb'))('bench smoke (10k orders) [mariadb]', () => {
  it('Stratum, F1 and F2 give the same answers to Q1–Q4 for every bench user', async () => {
    const result = await runSmoke({ orders: 10_000 });
    expect(result.compared).toBe(48);
    expect(result.schemaChanges).toBe(3); // bench/schema-changes.ts: rename, widening, conversion under Q4
    expect(result.schemaChangeLeftovers).toEqual([]); // and the table is as it was once they are undone
  }, 300_000);
});
