/**
 * The dry run: a planned change measured against the stored rows. Each step gets the rows it
 * touches, the values that would not fit (with up to 20 examples) and what else it affects;
 * the plan says whether it can be applied and whether it needs the confirmation token.
 * Reads only.
 */
import type { Database } from '../db/database.js';
import type { StoredDefinition } from '../db/registry.js';
import type { ErrorDetail } from '../errors.js';
import { buildModule } from '../schema/build-graph.js';
import type { Affect, Misfit, Plan, PlanStep } from '../schema/change-plan.js';
import { pointer } from '../schema/finding.js';
import type { Field, Module } from '../schema/module.js';
import { planToken, type PlannedChange, type PlannedStep } from '../schema/plan-change.js';
import { trigramFields } from '../query/trigrams.js';
import { batches, idsOf, retargeted, valueRewriter, type Outcome } from './field-values.js';
import { ReferenceRewriter } from './rewrite-references.js';
import { definitionsByName, oldFieldName, referenceChange } from './plan-renames.js';
import { TableOps } from './table-ops.js';

const EXAMPLES = 20;

export async function measurePlan(db: Database, change: PlannedChange, stored: readonly StoredDefinition[]): Promise<Plan> {
  const ops = new TableOps(db);
  const old = buildModule(change.before);
  const next = change.after ? buildModule(change.after) : undefined;
  const rows = (await ops.hasTable(old.table)) ? await ops.count(old.table) : 0;
  const others = stored.filter((s) => s.name !== change.module);
  const references = await new ReferenceRewriter(db, ops, definitionsByName(stored), referenceChange(change)).run(false, undefined, others);
  const steps: PlanStep[] = [];
  const blockers: ErrorDetail[] = [...change.blockers];
  for (const step of change.steps) {
    const measured = await measureStep(db, change, step, old, next, rows);
    const affects = [...step.affects, ...referencesOf(step, references), ...engineAffects(step, old, next, rows)];
    const keepsData = step.keepsData && !(measured.misfits > 0 && step.onMisfit !== undefined && step.onMisfit !== 'refuse');
    steps.push({ ...step, ...measured, keepsData, affects: dedupe(affects) });
    const refused = measured.misfits > 0 && (step.onMisfit ?? 'refuse') === 'refuse';
    if (refused) blockers.push(misfitBlocker(step, measured.misfits));
  }
  const needsConfirmation = steps.some((s) => !s.keepsData && s.rows > 0);
  return {
    module: change.module,
    base: change.base,
    steps,
    token: planToken(change.base, change.after, change.migration),
    applicable: blockers.length === 0,
    needsConfirmation,
    blockers,
  };
}

async function measureStep(db: Database, change: PlannedChange, step: PlannedStep, old: Module, next: Module | undefined, rows: number): Promise<{ rows: number; misfits: number; examples: Misfit[] }> {
  const none = { rows, misfits: 0, examples: [] as Misfit[] };
  const field = step.field;
  switch (step.kind) {
    case 'convert':
    case 'narrow':
    case 'tighten': {
      const now = next!.fields.get(field!)!;
      const was = old.fields.get(oldFieldName(change, field!))!;
      const targets = retargeted(was, now) ? await idsOf(db, now.ref!) : undefined;
      const rewrite = valueRewriter(was, next!, now, change.migration.valueMap?.[now.name] ?? {}, 'refuse', targets);
      return { rows, ...(await scanMisfits(db, old, was, rewrite)) };
    }
    case 'add-field': {
      if (step.keyword !== 'required' || rows === 0) return none;
      const ids = await db.all({ sql: `SELECT ${db.quote('id')} FROM ${db.quote(old.table)} ORDER BY ${db.quote('id')} LIMIT ${EXAMPLES}`, params: [] });
      return { rows, misfits: rows, examples: ids.map((r) => ({ id: Number(r.id), value: null, reason: `has no value for the new required field "${field}", which has no default`, code: 'no_default', params: { field: field! } })) };
    }
    case 'add-unique':
      return { rows, ...(await duplicates(db, old, step.fields!.map((f) => oldFieldName(change, f)))) };
    case 'drop-field': {
      const n = await db.all({ sql: `SELECT COUNT(*) AS n FROM ${db.quote(old.table)} WHERE ${db.quote(old.fields.get(field!)!.column)} IS NOT NULL`, params: [] });
      return { rows: Number(n[0]?.n ?? 0), misfits: 0, examples: [] };
    }
    case 'drop-relation': {
      const rel = old.relations.get(field!);
      if (rel?.kind !== 'many-to-many') return { ...none, rows: 0 };
      const n = await db.all({ sql: `SELECT COUNT(*) AS n FROM ${db.quote(rel.junction!.table)}`, params: [] });
      return { rows: Number(n[0]?.n ?? 0), misfits: 0, examples: [] };
    }
    default:
      return none;
  }
}

/** Every stored value through `rewrite` as refused: the dry run counts what does not fit before onMisfit decides. */
async function scanMisfits(db: Database, old: Module, was: Field, rewrite: (raw: unknown) => Promise<Outcome>): Promise<{ misfits: number; examples: Misfit[] }> {
  let misfits = 0;
  const examples: Misfit[] = [];
  for await (const rows of batches(db, old.table, was.column)) {
    for (const row of rows) {
      const outcome = await rewrite(row.v);
      if (!('misfit' in outcome)) continue;
      misfits++;
      if (examples.length < EXAMPLES) examples.push({ id: Number(row.id), value: outcome.value, reason: outcome.misfit, code: outcome.code, ...(outcome.params ? { params: outcome.params } : {}) });
    }
  }
  return { misfits, examples };
}

async function duplicates(db: Database, old: Module, fields: readonly string[]): Promise<{ misfits: number; examples: Misfit[] }> {
  const q = (s: string) => db.quote(s);
  const columns = fields.map((f) => old.fields.get(f)?.column ?? f);
  if (!columns.every((c) => old.fields.has(c))) return { misfits: 0, examples: [] };
  const list = columns.map(q).join(', ');
  const groups = await db.all({
    sql: `SELECT ${list}, COUNT(*) AS n FROM ${q(old.table)} WHERE ${columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')} GROUP BY ${list} HAVING COUNT(*) > 1`,
    params: [],
  });
  const misfits = groups.reduce((sum, g) => sum + Number(g.n), 0);
  const examples: Misfit[] = [];
  for (const g of groups) {
    if (examples.length >= EXAMPLES) break;
    const ids = await db.all({
      sql: `SELECT ${q('id')} FROM ${q(old.table)} WHERE ${columns.map((c, i) => `${q(c)} = $${i + 1}`).join(' AND ')} ORDER BY ${q('id')} LIMIT ${EXAMPLES}`,
      params: columns.map((c) => g[c]),
    });
    for (const r of ids) if (examples.length < EXAMPLES) examples.push({ id: Number(r.id), value: columns.length === 1 ? g[columns[0]!] : Object.fromEntries(columns.map((c) => [c, g[c]])), reason: `${Number(g.n)} records share this value`, code: 'duplicate', params: { count: Number(g.n) } });
  }
  return { misfits, examples };
}

function misfitBlocker(step: PlannedStep, misfits: number): ErrorDetail {
  const where = step.field ? pointer('properties', step.field) : pointer('x-unique');
  if (step.kind === 'add-field') {
    return { path: where, code: 'misfits', message: `${misfits} stored record${misfits === 1 ? '' : 's'} would have no value for the new required field "${step.field}"`, hint: `give "${step.field}" a default, or make it optional` };
  }
  if (step.kind === 'add-unique') {
    return { path: where, code: 'misfits', message: `${misfits} stored records share values of ${step.fields!.join(' + ')}`, hint: 'make those records differ first (see the examples), then apply again' };
  }
  return {
    path: where, code: 'misfits',
    message: `${misfits} stored value${misfits === 1 ? '' : 's'} of "${step.field}" would not fit`,
    hint: `fix those records first (see the examples), or say what they become: "x-migration": {"onMisfit": {"${step.field}": "null"}} (or "default")`,
  };
}

/** The records the rewrite found for this step: a rename's or a drop's field, or the module's. */
function referencesOf(step: PlannedStep, references: readonly Affect[]): Affect[] {
  if (step.kind === 'rename-module' || step.kind === 'drop-module') return [...references];
  if (step.kind !== 'rename-field' && step.kind !== 'drop-field') return [];
  const aboutDrops = (a: Affect) => a.message.includes('removed field');
  return references.filter((a) => (step.kind === 'drop-field' ? aboutDrops(a) : !aboutDrops(a)));
}

/** Search postings, counts and list settings a step moves along. */
function engineAffects(step: PlannedStep, old: Module, next: Module | undefined, rows: number): Affect[] {
  const out: Affect[] = [];
  const searched = (m: Module | undefined, f: string | undefined) => !!m && !!f && trigramFields(m).some((t) => t.name === f);
  if ((step.kind === 'rename-field' || step.kind === 'convert') && searched(next, step.field)) {
    out.push({ kind: 'search_index', module: next!.name, field: step.field, message: `the search index of "${step.field}" (${rows} records) ${step.kind === 'convert' ? 'is rebuilt' : 'moves to the new name'}` });
  }
  if (step.kind === 'drop-field' && searched(old, step.field)) out.push({ kind: 'search_index', module: old.name, field: step.field, message: `the search index of "${step.field}" is removed` });
  const listed = (m: Module | undefined, f: string | undefined) => !!m && !!f && [...m.list.columns, ...m.list.search, ...m.list.filters, m.list.sort.replace(/^-/, '')].some((c) => c.split('.')[0] === f);
  if (step.kind === 'rename-field' && listed(old, step.from)) out.push({ kind: 'list', module: old.name, field: step.field, message: `the list's columns, search, filters or sort name "${step.from}"` });
  if (step.kind === 'drop-field' && listed(old, step.field)) out.push({ kind: 'list', module: old.name, field: step.field, message: `the list's columns, search, filters or sort name "${step.field}"` });
  if (old.scopeColumn && step.kind === 'convert' && old.scopeColumn.path[0] === step.field) out.push({ kind: 'scope_path', module: old.name, message: `the department of every record is worked out again along "${step.field}"` });
  return out;
}

function dedupe(affects: readonly Affect[]): Affect[] {
  const seen = new Set<string>();
  return affects.filter((a) => {
    const key = `${a.kind}:${a.module ?? ''}:${a.id ?? ''}:${a.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
