/**
 * The one way a definition changes once it is stored: the API's PUT and DELETE, definition files
 * at start, schema apply, revert and restore all come here with a planned change. One change at
 * a time per database (a named lock on MariaDB, a queue in the process), checked against the
 * stored definition it was planned on, measured, confirmed, then run (core/migrate/run-plan.ts).
 */
import type { Database } from '../db/database.js';
import type { Registry } from '../db/registry.js';
import { httpError } from '../errors.js';
import type { Plan } from '../schema/change-plan.js';
import { definitionHash, type PlannedChange } from '../schema/plan-change.js';
import { announceApplied } from './applied-hooks.js';
import { ChangeLog } from './change-log.js';
import { measurePlan } from './measure-plan.js';
import { PlanRunner } from './run-plan.js';

export interface ChangeOptions {
  /** Who changes it, for the change log and the trash. */
  readonly actor: { readonly id: number | null; readonly username: string };
  /** api | file | schema | revert | trash */
  readonly origin: string;
  /** The dry run's token: needed when the plan loses data. */
  readonly confirm?: string | undefined;
  /** Runs once the switch is done, in the same transaction on SQLite: a restore fills the field it added back. */
  readonly afterSwitch?: (tx: import('sequelize').Transaction | undefined) => Promise<void>;
}

const queues = new WeakMap<Database, Promise<unknown>>();

/** Runs `fn` after every change this process started on `db` before it, and under the database's lock. */
export function oneAtATime<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(db) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => db.exclusively('schema-change', 600, fn));
  queues.set(db, run);
  return run;
}

/** The dry run of `change`: nothing is written. */
export async function dryRun(db: Database, registry: Registry, change: PlannedChange): Promise<Plan> {
  return measurePlan(db, change, await registry.definitions());
}

/** Applies `change`, or refuses with the plan: 409 stale_definition, misfits or confirmation_required, 400 change_unsupported. */
export function applyChange(db: Database, registry: Registry, change: PlannedChange, opts: ChangeOptions): Promise<Plan> {
  return oneAtATime(db, async () => {
    const stored = await registry.definitions();
    const current = stored.find((s) => s.name === change.module);
    if (!current || definitionHash(current.definition) !== change.base) {
      throw httpError(409, 'stale_definition', `The definition of "${change.module}" changed since this plan was made; nothing was changed`, [], { hint: 'load the module again, then make the change again' });
    }
    const plan = await measurePlan(db, change, stored);
    refuseUnlessApplicable(plan, opts.confirm);
    const log = new ChangeLog(db);
    const entry = {
      module: change.module, newName: change.newName, base: change.base, origin: opts.origin, before: change.before, after: change.after ?? null,
      migration: change.migration, steps: plan.steps, userId: opts.actor.id, username: opts.actor.username,
    };
    if (db.dialect.name === 'sqlite') {
      const applied = await db.transaction(async (tx) => {
        const id = await log.begin(entry, tx);
        const runner = new PlanRunner(db, registry, change, plan, stored, id, opts.actor.username, tx);
        await runner.prepare();
        await runner.switch();
        await opts.afterSwitch?.(tx);
        await runner.sync();
        await log.finish(id, 'applied', tx);
        return id;
      });
      await announceApplied(db, applied);
      return plan;
    }
    const id = await log.begin(entry);
    const runner = new PlanRunner(db, registry, change, plan, stored, id, opts.actor.username);
    try {
      await runner.prepare();
    } catch (e) {
      await runner.rollbackPrepare();
      await log.finish(id, 'rolled-back');
      throw e;
    }
    await runner.switch();
    await opts.afterSwitch?.(undefined);
    await runner.sync();
    await log.finish(id, 'applied');
    await announceApplied(db, id);
    return plan;
  });
}

function refuseUnlessApplicable(plan: Plan, confirm: string | undefined): void {
  if (!plan.applicable) {
    const misfits = plan.blockers.filter((b) => b.code === 'misfits');
    if (misfits.length > 0 && misfits.length === plan.blockers.length) {
      throw httpError(409, 'misfits', 'Stored values do not fit the new definition; nothing was changed', misfits, { plan });
    }
    throw httpError(400, 'change_unsupported', 'This change cannot be applied as it is; nothing was changed', plan.blockers, { plan });
  }
  if (plan.needsConfirmation && confirm !== plan.token) {
    const losing = plan.steps.filter((s) => !s.keepsData).map((s) => s.message);
    throw httpError(409, 'confirmation_required', `This change loses data (${losing.join('; ')}); run it with ?dryRun=true, then apply it with ?confirm=<plan.token>`, [], { plan });
  }
}
