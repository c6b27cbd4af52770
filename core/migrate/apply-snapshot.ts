/**
 * A snapshot against this database: the diff measures each module's plan (the dry run, nothing
 * written), and apply carries them out in their order — creates the way POST /api/modules does,
 * changes and drops through applyChange (origin 'schema'), each atomic on its own. Apply
 * refuses before it changes anything when the target moved since the diff (the snapshot's
 * `against`), when a plan cannot be applied, or when one loses data without its token; a
 * refusal half-way (the rows changed in between) names what was applied before it.
 */
import type { Database } from '../db/database.js';
import type { Registry, StoredDefinition } from '../db/registry.js';
import { HttpError, type ErrorDetail, httpError } from '../errors.js';
import type { Plan } from '../schema/change-plan.js';
import { DefinitionError } from '../schema/finding.js';
import { definitionHash, planChange, planDrop } from '../schema/plan-change.js';
import { diffSchema, type ModuleOperation, type SchemaAction, type SchemaDiff } from '../schema/schema-diff.js';
import { snapshotOf, type Snapshot } from '../schema/schema-snapshot.js';
import { applyChange, dryRun, type ChangeOptions } from './apply-change.js';
import { createModule } from './create-module.js';

export interface ModulePlan {
  readonly module: string;
  readonly action: SchemaAction;
  readonly plan: Plan;
}

export interface SnapshotDiff {
  readonly plans: readonly ModulePlan[];
  /** Each planned module's base here (null: it does not exist yet): give it back as the snapshot's `against`. */
  readonly against: Readonly<Record<string, string | null>>;
  readonly skipped: SchemaDiff['skipped'];
  /** Whether every plan can be applied now. */
  readonly applicable: boolean;
  /** Whether some plan loses data and needs its token. */
  readonly needsConfirmation: boolean;
}

/** The token a caller gives for a plan that loses data, if any. */
export type Confirmations = (plan: ModulePlan, operation: ModuleOperation) => string | undefined;

export async function takeSnapshot(registry: Registry): Promise<Snapshot> {
  return snapshotOf(await registry.definitions());
}

/**
 * The plans that would make this database hold the snapshot's API modules; nothing is written.
 * With the snapshot's `against`, refused (409 stale_definition) when a module moved since.
 */
export async function diffSnapshot(db: Database, registry: Registry, snapshot: Snapshot): Promise<{ diff: SnapshotDiff; operations: readonly ModuleOperation[] }> {
  const stored = await registry.definitions();
  const { operations, skipped } = diffSchema(stored, snapshot);
  if (snapshot.against) refuseIfStale(snapshot.against, stored, operations);
  const plans: ModulePlan[] = [];
  for (const op of operations) {
    // A create has no rows to count, and a change refused unplanned has no steps to measure.
    const unmeasured = op.action === 'create' || (op.change.steps.length === 0 && op.change.blockers.length > 0);
    plans.push({ module: op.module, action: op.action, plan: unmeasured ? unmeasuredPlan(op) : await dryRun(db, registry, op.change) });
  }
  const diff: SnapshotDiff = {
    plans,
    against: Object.fromEntries(operations.map((op) => [op.module, op.base])),
    skipped,
    applicable: plans.every((p) => p.plan.applicable),
    needsConfirmation: plans.some((p) => p.plan.needsConfirmation),
  };
  return { diff, operations };
}

/** Applies the snapshot's plans in order, or refuses (nothing changed) as PUT does. */
export async function applySnapshot(db: Database, registry: Registry, snapshot: Snapshot, actor: ChangeOptions['actor'], confirmations: Confirmations): Promise<{ applied: readonly ModulePlan[]; skipped: SnapshotDiff['skipped'] }> {
  const { diff, operations } = await diffSnapshot(db, registry, snapshot);
  const confirmOf = (i: number) => confirmations(diff.plans[i]!, operations[i]!);
  refuseUnlessReady(diff, confirmOf);
  const applied: ModulePlan[] = [];
  for (const [i, op] of operations.entries()) {
    try {
      applied.push({ module: op.module, action: op.action, plan: await applyOne(db, registry, op, actor, confirmOf(i)) ?? diff.plans[i]!.plan });
    } catch (e) {
      throw halfWay(e, op, applied);
    }
  }
  return { applied, skipped: diff.skipped };
}

/** One operation, re-planned on the definitions as they are now (the creates before it are stored). */
async function applyOne(db: Database, registry: Registry, op: ModuleOperation, actor: ChangeOptions['actor'], confirm: string | undefined): Promise<Plan | undefined> {
  const stored = await registry.definitions();
  const others = stored.filter((s) => s.name !== op.module).map((s) => s.definition);
  const current = stored.find((s) => s.name === op.module);
  // As the diff planned it: a change by someone else since is refused, one by an earlier operation here was foreseen.
  if ((current ? definitionHash(current.definition) : null) !== op.baseAtTurn) throw stale([op.module]);
  if (op.action === 'create') {
    await createModule(db, registry, op.change.after!, others);
    return undefined;
  }
  const change = op.action === 'drop' ? planDrop(current!.definition, others) : planChange(current!.definition, op.change.after!, op.change.migration, others);
  return applyChange(db, registry, change, { actor, origin: 'schema', confirm });
}

/** A create's plan (the steps that build the module, on no rows), or a refused change's. */
function unmeasuredPlan(op: ModuleOperation): Plan {
  return {
    module: op.module, base: op.baseAtTurn ?? '', token: '', needsConfirmation: false,
    steps: op.change.steps.map((s) => ({ ...s, rows: 0, misfits: 0, examples: [] })),
    applicable: op.change.blockers.length === 0,
    blockers: op.change.blockers,
  };
}

function refuseIfStale(against: Readonly<Record<string, string | null>>, stored: readonly StoredDefinition[], operations: readonly ModuleOperation[]): void {
  const baseOf = (name: string) => {
    const s = stored.find((d) => d.name === name);
    return s ? definitionHash(s.definition) : null;
  };
  const names = new Set([...Object.keys(against), ...operations.map((op) => op.module)]);
  const moved = [...names].filter((name) => !(name in against) || against[name] !== baseOf(name));
  if (moved.length > 0) throw stale(moved, moved.map((name) => ({ path: `/against/${name}`, code: 'stale_definition', message: `was ${JSON.stringify(against[name] ?? 'not planned')}, is ${JSON.stringify(baseOf(name))}`, hint: 'diff the snapshot again' })));
}

const stale = (modules: readonly string[], details: readonly ErrorDetail[] = []) =>
  httpError(409, 'stale_definition', `The definition of ${modules.map((m) => `"${m}"`).join(', ')} changed since the snapshot was diffed; nothing was changed`, details, { hint: 'diff the snapshot again, check its plans, and apply it with the new "against"' });

function refuseUnlessReady(diff: SnapshotDiff, confirmOf: (i: number) => string | undefined): void {
  const blockers = diff.plans.flatMap((p) => p.plan.blockers.map((b) => ({ ...b, module: p.module })));
  if (blockers.length > 0) {
    const misfitsOnly = blockers.every((b) => b.code === 'misfits');
    const modules = [...new Set(blockers.map((b) => b.module))].join(', ');
    throw misfitsOnly
      ? httpError(409, 'misfits', `Stored values do not fit (${modules}); nothing was changed`, blockers, { plans: diff.plans })
      : httpError(400, 'change_unsupported', `Some plans cannot be applied as they are (${modules}); nothing was changed`, blockers, { plans: diff.plans });
  }
  const unconfirmed = diff.plans.filter((p, i) => p.plan.needsConfirmation && confirmOf(i) !== p.plan.token);
  if (unconfirmed.length > 0) {
    const losing = unconfirmed.flatMap((p) => p.plan.steps.filter((s) => !s.keepsData).map((s) => `${p.module}: ${s.message}`));
    throw httpError(409, 'confirmation_required', `This loses data (${losing.join('; ')}); give each plan's token in "confirm": {"<module>": "<token>"}; nothing was changed`, [], { plans: diff.plans });
  }
}

/** A refusal after some operations were applied: it says which, so that a new diff shows the rest. */
function halfWay(e: unknown, op: ModuleOperation, applied: readonly ModulePlan[]): unknown {
  const done = applied.length > 0 ? `; applied before it: ${applied.map((a) => `${a.action} ${a.module}`).join(', ')}` : '';
  if (e instanceof HttpError) return new HttpError(e.status, e.code, `${op.action} ${op.module}: ${e.message}${done}`, e.details, { ...e.extra, module: op.module, applied });
  if (e instanceof DefinitionError) {
    const details = e.findings.map((f) => ({ path: f.pointer, code: f.code, message: f.message, hint: f.hint }));
    return httpError(400, 'invalid_definition', `${op.action} ${op.module}: the definition is not valid${done}`, details, { module: op.module, applied });
  }
  return e;
}
