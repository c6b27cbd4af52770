/**
 * Carries out a planned change, in two phases:
 * - prepare: what readers of the old definition never see — new columns, converted values in a
 *   new column beside the old one (`_s<change>_<step>`), copies of what will be dropped in the
 *   trash. Undone by rollbackPrepare.
 * - switch: what readers see — columns swapped, renamed and dropped, tables renamed, the names in
 *   rules, permissions, views and history rewritten, the definitions stored, the generation
 *   moved (every process rebuilds its graph at its next request). Each operation checks whether
 *   it is done already, so a switch cut short is finished by running it again.
 * On SQLite both run in one transaction with the additive sync; on MariaDB, whose DDL commits
 * by itself, the change log marks which phase a plan is in (core/migrate/resume.ts).
 */
import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { column } from '../db/ddl.js';
import type { Registry, StoredDefinition } from '../db/registry.js';
import { ScopeCounts } from '../data/scope-counts.js';
import { httpError } from '../errors.js';
import { storedDateTime } from '../query/values.js';
import { buildModule } from '../schema/build-graph.js';
import type { Plan } from '../schema/change-plan.js';
import type { Field, JsonSchema, Module } from '../schema/module.js';
import { columnSignature, type PlannedChange, type PlannedStep } from '../schema/plan-change.js';
import { TrigramPostings } from '../search/trigram-table.js';
import { ChangeLog } from './change-log.js';
import { batches, idsOf, retargeted, valueRewriter, writeValues } from './field-values.js';
import { definitionsByName, oldFieldName, referenceChange } from './plan-renames.js';
import { ReferenceRewriter } from './rewrite-references.js';
import { syncAfterPlan } from './sync-after-plan.js';
import { TableOps } from './table-ops.js';
import { Trash, trashTable } from './trash.js';

/** Called after each operation with its label: the test hook that stops a process between steps. */
export type StepHook = (label: string) => void | Promise<void>;

let stepHook: StepHook | undefined;

/** Tests only: run `hook` after every operation of every plan in this process (undefined to stop). */
export function setStepHook(hook: StepHook | undefined): void {
  stepHook = hook;
}

/** Rows written by other processes during the fill are converted again before the switch; their clocks may lag by this much. */
const CLOCK_MARGIN_MS = 60_000;

/** What a required field's new column holds until its value is written: never left there (every row is written, and rows written meanwhile are caught up). */
function placeholderOf(field: Field): unknown {
  switch (field.kind) {
    case 'integer':
    case 'ref':
    case 'number':
    case 'boolean':
      return 0;
    case 'date':
      return '1970-01-01';
    case 'datetime':
      return '1970-01-01 00:00:00.000';
    default:
      return '';
  }
}

export class PlanRunner {
  private readonly ops: TableOps;
  private readonly old: Module;
  private readonly next: Module | undefined;
  private readonly log: ChangeLog;
  private fillStarted = '';

  constructor(
    private readonly db: Database,
    private readonly registry: Registry,
    private readonly change: PlannedChange,
    private readonly plan: Plan,
    /** The stored definitions the change was planned on, all modules. */
    private readonly stored: readonly StoredDefinition[],
    private readonly id: number,
    private readonly actor: string,
    private readonly tx?: Transaction,
  ) {
    this.ops = new TableOps(db, tx);
    this.old = buildModule(change.before);
    this.next = change.after ? buildModule(change.after) : undefined;
    this.log = new ChangeLog(db);
  }

  /** A switch finished after a restart first converts again the rows written since the plan began (`at`, ISO). */
  catchUpSince(at: string): void {
    this.fillStarted = storedDateTime(new Date(Date.parse(at) - CLOCK_MARGIN_MS));
  }

  private async done(label: string) {
    await stepHook?.(label);
  }

  private get steps() {
    return this.change.steps.map((step, i) => ({ step, i }));
  }

  /** The old and new field of a field step, and the column a converted value waits in. */
  private fieldsOf(step: PlannedStep, i: number): { was: Field; now: Field; shadow: string | undefined } {
    const now = this.next!.fields.get(step.field!)!;
    const was = this.old.fields.get(oldFieldName(this.change, step.field!))!;
    const rebuilt = columnSignature(was) !== columnSignature(now) || was.kind !== now.kind || (was.required && !now.required);
    const shadow = rebuilt ? `_s${this.id}_${i}` : undefined;
    return { was, now, shadow };
  }

  async prepare(): Promise<void> {
    const table = this.old.table;
    this.fillStarted = storedDateTime(new Date(Date.now() - CLOCK_MARGIN_MS));
    for (const { step, i } of this.steps) {
      switch (step.kind) {
        case 'add-field': {
          const field = this.next!.fields.get(step.field!)!;
          const col = column(field, this.db.dialect.name);
          if (col.defaultValue === undefined) col.allowNull = true;
          await this.ops.addColumn(table, field.column, col);
          await this.done(`add ${field.name}`);
          break;
        }
        case 'widen':
        case 'convert':
        case 'narrow':
        case 'tighten':
          await this.prepareValues(step, i);
          break;
        case 'drop-field': {
          const was = this.old.fields.get(step.field!)!;
          const q = (s: string) => this.db.quote(s);
          await this.ops.copyInto(trashTable(this.id, i), `SELECT ${q('id')}, ${q(was.column)} AS ${q('value')} FROM ${q(table)} WHERE ${q(was.column)} IS NOT NULL`);
          await this.done(`trash ${was.name}`);
          break;
        }
        case 'drop-relation': {
          const rel = this.old.relations.get(step.field!);
          if (rel?.kind === 'many-to-many') await this.ops.copyInto(trashTable(this.id, i), `SELECT * FROM ${this.db.quote(rel.junction!.table)}`);
          break;
        }
        case 'drop-module': {
          await this.ops.copyInto(trashTable(this.id, 0), `SELECT * FROM ${this.db.quote(table)}`);
          let n = 1;
          for (const rel of this.old.relations.values()) {
            if (rel.kind === 'many-to-many') await this.ops.copyInto(trashTable(this.id, n++), `SELECT * FROM ${this.db.quote(rel.junction!.table)}`);
          }
          await this.done('trash module');
          break;
        }
        default:
          break;
      }
    }
  }

  /** Converts (or checks) every value of a field step; converted values wait in the shadow column. */
  private async prepareValues(step: PlannedStep, i: number, since?: string): Promise<void> {
    const { was, now, shadow } = this.fieldsOf(step, i);
    const table = this.old.table;
    const onMisfit = step.onMisfit ?? 'refuse';
    if (step.kind === 'widen' && !shadow) return;
    if (shadow && !since) {
      const col = column(now, this.db.dialect.name);
      // MariaDB: a required field's new column refuses NULL from the start, holding a placeholder
      // until its value is written (instant, where making it NOT NULL afterwards rebuilds the table).
      const placeholder = this.db.dialect.name === 'mysql' && now.required ? placeholderOf(now) : undefined;
      await this.ops.addColumn(table, shadow, placeholder === undefined ? { ...col, allowNull: true, defaultValue: undefined } : { ...col, allowNull: false, defaultValue: placeholder as never });
      if (step.kind === 'widen') {
        // Every value fits as it is: one statement copies them.
        await this.ops.run(`UPDATE ${this.db.quote(table)} SET ${this.db.quote(shadow)} = ${this.db.quote(was.column)}`);
        await this.done(`fill ${now.name}`);
        return;
      }
    }
    if (shadow && step.kind === 'widen') {
      await this.ops.run(`UPDATE ${this.db.quote(table)} SET ${this.db.quote(shadow)} = ${this.db.quote(was.column)} WHERE ${this.db.quote('updatedAt')} >= $1`, [since]);
      return;
    }
    const targets = retargeted(was, now) ? await idsOf(this.db, now.ref!, this.tx) : undefined;
    const rewrite = valueRewriter(was, this.next!, now, this.change.migration.valueMap?.[now.name] ?? {}, onMisfit, targets);
    const target = shadow ?? was.column;
    let misfits = 0;
    for await (const rows of batches(this.db, table, was.column, this.tx, since)) {
      const out: (readonly [number, unknown])[] = [];
      for (const row of rows) {
        const outcome = await rewrite(row.v);
        if ('misfit' in outcome) misfits++;
        else if (shadow || outcome.changed) out.push([Number(row.id), outcome.store]);
      }
      if (misfits === 0) await writeValues(this.db, table, target, out, this.tx);
    }
    if (misfits > 0) {
      throw httpError(409, 'misfits', `${misfits} stored value${misfits === 1 ? '' : 's'} of "${now.name}" no longer fit; nothing was changed`, [], { plan: this.plan });
    }
    await this.done(`fill ${now.name}`);
  }

  /** Takes back what prepare did: new columns and trash copies go. */
  async rollbackPrepare(): Promise<void> {
    const table = this.old.table;
    if (!(await this.ops.hasTable(table))) return;
    for (const { step, i } of this.steps) {
      if (step.kind === 'add-field') await this.ops.dropColumn(table, step.field!);
      if (['widen', 'convert', 'narrow', 'tighten'].includes(step.kind)) {
        const { shadow } = this.fieldsOf(step, i);
        if (shadow) await this.ops.dropColumn(table, shadow);
      }
      if (step.kind === 'drop-field' || step.kind === 'drop-relation') await this.ops.dropTable(trashTable(this.id, i));
    }
    if (this.change.steps.some((s) => s.kind === 'drop-module')) {
      for (let n = 0; n <= this.old.relations.size; n++) await this.ops.dropTable(trashTable(this.id, n));
    }
  }

  /** The switch's operations already done, by label (a switch finished after a restart). */
  private readonly switched = new Set<string>();

  resumeAfter(done: readonly string[]): void {
    for (const label of done) this.switched.add(label);
  }

  /**
   * One operation of the switch, run unless the journal says it is done. An operation cut short
   * by a stop (its DDL done, its journal line not) runs again: each checks the table first
   * (a column already renamed is not renamed again), and no later operation has run yet.
   */
  private async operation(label: string, run: () => Promise<void>): Promise<void> {
    if (this.switched.has(label)) return;
    await run();
    this.switched.add(label);
    if (!this.tx) await this.log.markDone(this.id, [...this.switched]);
    await this.done(label);
  }

  /** What readers see, in order: drops, swaps, renames, tables, references, definitions. */
  async switch(): Promise<void> {
    const table = this.old.table;
    if (!this.tx) await this.log.phase(this.id, 'switch');
    const valueSteps = this.steps.filter(({ step }) => ['widen', 'convert', 'narrow', 'tighten'].includes(step.kind));
    // Rows other processes wrote while the values were converted.
    await this.operation('catch up', async () => {
      if (this.tx || !this.fillStarted) return;
      for (const { step, i } of valueSteps) await this.prepareValues(step, i, this.fillStarted);
    });
    // Indexes and keys on columns that change or go, and the ones the plan drops; the sync adds what the new definition wants.
    await this.operation('indexes', async () => {
      const changing = new Set<string>();
      for (const { step, i } of valueSteps) {
        const { was, shadow } = this.fieldsOf(step, i);
        if (shadow) changing.add(was.column);
      }
      for (const { step } of this.steps) if (step.kind === 'drop-field') changing.add(this.old.fields.get(step.field!)!.column);
      const dropSets = this.change.steps.filter((s) => s.kind === 'drop-index' || s.kind === 'drop-unique')
        .map((s) => ({ unique: s.kind === 'drop-unique', columns: s.fields!.map((f) => oldFieldName(this.change, f)).join(',') }));
      if (!(await this.ops.hasTable(table))) return;
      // Foreign keys first: MariaDB keeps an index for each.
      await this.ops.dropForeignKeysOn(table, changing);
      for (const index of await this.ops.indexes(table)) {
        const dropped = dropSets.some((d) => d.unique === index.unique && d.columns === index.columns.join(','));
        if (dropped || index.columns.some((c) => changing.has(c))) await this.ops.dropIndex(table, index.name);
      }
    });
    for (const { step, i } of this.steps) {
      if (step.kind === 'drop-field') {
        await this.operation(`drop ${step.field}`, () => this.ops.retireColumn(table, this.old.fields.get(step.field!)!.column, `_gone_${this.id}_${i}`));
      }
      if (step.kind === 'drop-relation') {
        const rel = this.old.relations.get(step.field!);
        if (rel?.kind === 'many-to-many') await this.operation(`drop ${step.field}`, () => this.ops.dropTable(rel.junction!.table));
      }
    }
    for (const { step, i } of valueSteps) {
      const { was, now, shadow } = this.fieldsOf(step, i);
      if (!shadow) continue;
      await this.operation(`swap ${now.name}`, async () => {
        const present = await this.ops.columns(table);
        if (!present.has(shadow)) return;
        await this.ops.swapColumn(table, was.column, shadow, now.column, `_gone_${this.id}_${i}`);
      });
    }
    // A required field's column refuses NULL, as a new table's would: a rebuilt one does from the
    // start (MariaDB); one that only becomes required is altered here, which rebuilds the table in
    // place. SQLite cannot change it in place; the validator holds it there.
    for (const { step, i } of valueSteps) {
      const { was, now, shadow } = this.fieldsOf(step, i);
      if (now.required && !shadow && !was.required) await this.operation(`require ${now.name}`, () => this.ops.refuseNull(table, now.column, column(now, 'mysql')));
    }
    for (const [from, to] of this.change.renames) {
      await this.operation(`rename ${from}`, async () => {
        if (this.old.fields.has(from)) await this.ops.renameColumn(table, from, to);
        const rel = this.old.relations.get(from);
        if (rel?.kind === 'many-to-many') await this.ops.renameTable(rel.junction!.table, `${table}_${to}`);
      });
    }
    if (this.change.newName !== this.change.module) {
      await this.operation('rename module', async () => {
        await this.ops.renameTable(table, this.change.newName);
        for (const rel of this.next!.relations.values()) if (rel.kind === 'many-to-many') await this.ops.renameTable(`${table}_${rel.name}`, rel.junction!.table);
      });
    }
    if (this.change.steps.some((s) => s.kind === 'drop-module')) {
      await this.operation('drop module', async () => {
        for (const rel of this.old.relations.values()) if (rel.kind === 'many-to-many') await this.ops.dropTable(rel.junction!.table);
        await this.ops.dropTable(table);
        await ScopeCounts.forget(this.db, this.change.module, this.tx);
        await TrigramPostings.forget(this.db, this.change.module, undefined, this.tx);
      });
    }
    await this.operation('trash', () => this.toTrash());
    await this.operation('references', async () => {
      const others = this.stored.filter((s) => s.name !== this.change.module);
      await new ReferenceRewriter(this.db, this.ops, definitionsByName(this.stored), referenceChange(this.change), this.tx).run(true, this.registry, others);
    });
    await this.operation('definitions', async () => {
      const mine = this.stored.find((s) => s.name === this.change.module)!;
      if (this.change.after) {
        if (this.change.newName !== this.change.module) await this.registry.remove(this.change.module, this.tx);
        await this.registry.save({ name: this.change.newName, source: mine.source, definition: this.change.after }, this.tx);
      } else await this.registry.remove(this.change.module, this.tx);
      await this.registry.bump(this.tx);
    });
    await this.operation('history', () => new ReferenceRewriter(this.db, this.ops, definitionsByName(this.stored), referenceChange(this.change), this.tx).renameHistory());
  }

  private async toTrash(): Promise<void> {
    const trash = new Trash(this.db);
    const listed = new Set((await trash.list(this.tx)).filter((e) => e.changeId === this.id).map((e) => e.table));
    const props = (this.change.before.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((this.change.before.required as string[] | undefined) ?? []);
    for (const { step, i } of this.steps) {
      const table = trashTable(this.id, i);
      if (listed.has(table) || !(await this.ops.hasTable(table))) continue;
      if (step.kind === 'drop-field' || step.kind === 'drop-relation') {
        await trash.add({
          kind: step.kind === 'drop-field' ? 'field' : 'relation', module: this.change.newName, field: step.field!, definition: props[step.field!] ?? {},
          required: required.has(step.field!), table, junctions: {}, rows: await this.ops.count(table), changeId: this.id, droppedBy: this.actor,
        }, this.tx);
      }
    }
    const main = trashTable(this.id, 0);
    if (this.change.steps.some((s) => s.kind === 'drop-module') && !listed.has(main) && (await this.ops.hasTable(main))) {
      const junctions: Record<string, string> = {};
      let n = 1;
      for (const rel of this.old.relations.values()) if (rel.kind === 'many-to-many') junctions[rel.name] = trashTable(this.id, n++);
      await trash.add({
        kind: 'module', module: this.change.module, field: null, definition: this.change.before, required: false,
        table: main, junctions, rows: await this.ops.count(main), changeId: this.id, droppedBy: this.actor,
      }, this.tx);
    }
  }

  /** What the new definitions want beyond the plan's own steps (core/migrate/sync-after-plan.ts). */
  sync(): Promise<void> {
    return syncAfterPlan(this.db, this.registry, this.change, this.stored, this.tx);
  }
}
