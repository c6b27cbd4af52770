/**
 * At start, before anything reads the definitions: a plan a stopped process left `applying` on
 * MariaDB is undone when it had not yet changed what readers see (phase `prepare`), and finished
 * when it had (phase `switch`, whose operations each skip themselves when done).
 */
import type { Database } from '../db/database.js';
import type { Registry } from '../db/registry.js';
import { planChange, planDrop } from '../schema/plan-change.js';
import type { Plan } from '../schema/change-plan.js';
import { ChangeLog, ensureChangesTable } from './change-log.js';
import { ensureTrashTable } from './trash.js';
import { oneAtATime } from './apply-change.js';
import { PlanRunner } from './run-plan.js';
import { announceApplied } from './applied-hooks.js';

export async function resumeChanges(db: Database, registry: Registry, log: (line: string) => void): Promise<void> {
  await ensureChangesTable(db);
  await ensureTrashTable(db);
  const changes = new ChangeLog(db);
  const open = await changes.list({ state: 'applying' });
  if (open.length === 0) return;
  await oneAtATime(db, async () => {
    for (const record of await changes.list({ state: 'applying' })) {
      const stored = await registry.definitions();
      const others = stored.filter((s) => s.name !== record.module && s.name !== record.newName).map((s) => s.definition);
      const change = record.after ? planChange(record.before!, record.after, record.migration, others) : planDrop(record.before!, others);
      // The stored definitions as the plan saw them: its own module as it was before.
      const before = [...stored.filter((s) => s.name !== record.module && s.name !== record.newName), { name: record.module, source: stored.find((s) => s.name === record.module || s.name === record.newName)?.source ?? 'api', definition: record.before! }];
      const plan: Plan = { module: record.module, base: record.base, steps: record.steps, token: '', applicable: true, needsConfirmation: false, blockers: [] };
      const runner = new PlanRunner(db, registry, change, plan, before, record.id, record.username);
      if (record.phase === 'prepare') {
        await runner.rollbackPrepare();
        await changes.finish(record.id, 'rolled-back');
        log(`A change of the module "${record.module}" was stopped before it took effect; it was rolled back.`);
      } else {
        runner.catchUpSince(record.at);
        runner.resumeAfter(record.done);
        await runner.switch();
        await runner.sync();
        await changes.finish(record.id, 'applied');
        await announceApplied(db, record.id);
        log(`A change of the module "${record.module}" was stopped half-way; it was finished.`);
      }
    }
  });
}
