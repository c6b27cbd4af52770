/**
 * The one planner for definition changes: the stored definition, the wanted one and what the
 * request says about renames and values (`x-migration`) become the steps of a plan, in the order
 * they are applied. Pure: the dry run (core/migrate/measure-plan.ts) counts the rows and misfits
 * of each step, and core/migrate/apply-change.ts carries them out (core/migrate/run-plan.ts).
 */
import { createHash } from 'node:crypto';
import type { ErrorDetail } from '../errors.js';
import { buildModule } from './build-graph.js';
import type { MigrationInput, OnMisfit, PlanStep, StepKind, TableLock } from './change-plan.js';
import { conversionKeepsData, conversionOf } from './convert-value.js';
import { pointer } from './finding.js';
import { enumColumnWidth, type Field, type JsonSchema, type Module } from './module.js';
import { renameOwnKeywords } from './rename-references.js';
import { MIGRATION_KEY, migrationProblems } from './check-migration.js';
import { fieldNameAffects, moduleNameAffects, referencesModule } from './plan-affects.js';

export { MIGRATION_KEY };

/** A step before the dry run has counted it. */
export type PlannedStep = Omit<PlanStep, 'rows' | 'misfits' | 'examples'>;

export interface PlannedChange {
  /** The module as stored, and its name after the plan. */
  readonly module: string;
  readonly newName: string;
  readonly base: string;
  /** What will be stored: the wanted definition under its new name, without `x-migration`; undefined for a drop. */
  readonly after: JsonSchema | undefined;
  readonly before: JsonSchema;
  readonly migration: MigrationInput;
  readonly steps: readonly PlannedStep[];
  readonly blockers: readonly ErrorDetail[];
  /** Old field or relation name → new name. */
  readonly renames: ReadonlyMap<string, string>;
}

/** A hash of a definition, as stored: the plan's `base`, which a later apply compares. */
export function definitionHash(def: JsonSchema): string {
  return createHash('sha256').update(canonical(def)).digest('hex').slice(0, 16);
}

/** The token a plan that loses data is confirmed with: it names the base, the wanted definition and the migration. */
export function planToken(base: string, after: JsonSchema | undefined, migration: MigrationInput): string {
  return createHash('sha256').update(`${base}\n${after ? canonical(after) : 'drop'}\n${canonical(migration)}`).digest('hex').slice(0, 24);
}

/** JSON with sorted keys, so that the same definition always hashes alike. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/**
 * Splits a request body or definition file into the definition to store and its `x-migration`;
 * a file confirms a plan that loses data with `"confirm": "<token>"` in it.
 */
export function splitMigration(body: JsonSchema): { definition: JsonSchema; migration: MigrationInput; confirm?: string } {
  const { [MIGRATION_KEY]: raw, ...definition } = body;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { definition, migration: (raw === undefined ? {} : raw) as MigrationInput };
  const { confirm, ...migration } = raw as MigrationInput & { confirm?: unknown };
  return { definition, migration, ...(typeof confirm === 'string' ? { confirm } : {}) };
}

/** The plan for changing `before` into `wanted` (a definition whose `$id` is the stored name or the new one). */
export function planChange(before: JsonSchema, wanted: JsonSchema, migration: MigrationInput, others: readonly JsonSchema[]): PlannedChange {
  const name = String(before.$id);
  const blockers: ErrorDetail[] = [...migrationProblems(before, wanted, migration, others)];
  const newName = typeof migration.moduleRename === 'string' && blockers.length === 0 ? migration.moduleRename : name;
  const renames = new Map(Object.entries(blockers.length === 0 ? migration.renames ?? {} : {}));
  // Keywords the request left naming a renamed field by its old name follow the rename.
  const after = renameOwnKeywords({ ...wanted, $id: newName }, renames);
  const old = buildModule(before);
  const next = buildModule(after);
  const steps: PlannedStep[] = [];
  const add = (kind: StepKind, rest: Partial<PlannedStep> & { message: string }) =>
    steps.push({ kind, keepsData: true, affects: [], locks: 'none', ...rest });

  if (newName !== name) {
    if (old.builtin) blockers.push({ path: pointer(MIGRATION_KEY, 'moduleRename'), code: 'builtin_module', message: `"${name}" is built in and keeps its name`, hint: 'rename modules you made' });
    add('rename-module', { from: name, to: newName, locks: 'metadata', affects: moduleNameAffects(name, others), message: `Rename the module "${name}" to "${newName}"` });
  }
  for (const [from, to] of renames) {
    const relation = old.relations.get(from);
    if (relation) {
      add(relation.kind === 'many-to-many' ? 'rename-relation' : 'rename-field', { from, to, field: to, locks: 'metadata', message: `Rename the relation "${from}" to "${to}"` });
      continue;
    }
    add('rename-field', { from, to, field: to, locks: 'metadata', affects: fieldNameAffects(name, from, others), message: `Rename the field "${from}" to "${to}"` });
  }
  const oldNameOf = new Map([...renames].map(([o, n]) => [n, o]));
  for (const field of next.fields.values()) {
    if (field.system) continue;
    const was = old.fields.get(oldNameOf.get(field.name) ?? field.name);
    if (!was) {
      if (old.relations.has(oldNameOf.get(field.name) ?? field.name)) {
        blockers.push({ path: pointer('properties', field.name), code: 'change_unsupported', message: `"${field.name}" cannot turn from a list of related records into a field`, hint: 'add a new field instead' });
        continue;
      }
      add('add-field', {
        field: field.name, after: field.schema, locks: 'metadata',
        message: `Add the field "${field.name}"${field.default !== undefined ? ` (existing records get ${JSON.stringify(field.default)})` : ''}`,
        ...(field.required && field.default === undefined ? { keyword: 'required' } : {}),
      });
      continue;
    }
    const step = valueStep(was, field, migration, blockers);
    if (step) add(step.kind, step);
  }
  for (const field of old.fields.values()) {
    if (field.system || next.fields.has(renames.get(field.name) ?? field.name)) continue;
    if (next.relations.has(renames.get(field.name) ?? field.name)) {
      blockers.push({ path: pointer('properties', field.name), code: 'change_unsupported', message: `"${field.name}" cannot turn from a field into a list of related records`, hint: 'add a new relation instead' });
      continue;
    }
    add('drop-field', {
      field: field.name, before: field.schema, keepsData: false, locks: 'metadata',
      affects: fieldNameAffects(name, field.name, others),
      message: `Remove the field "${field.name}"; its values go to the trash`,
    });
  }
  relationSteps(old, next, renames, blockers, add);
  keySteps(old, next, renames, add);
  if (old.softDelete && !next.softDelete) {
    blockers.push({ path: pointer('x-soft-delete'), code: 'change_unsupported', message: 'turning soft delete off would bring back the records deleted so far', hint: 'keep "x-soft-delete": true' });
  }
  const described = describedChanges(before, after, renames);
  if (described.length > 0) add('describe', { message: `Change ${described.join(', ')}`, affects: described.includes('list settings') ? [{ kind: 'list', module: newName, message: 'list columns, search, filters or sort' }] : [] });
  return { module: name, newName, base: definitionHash(before), after, before, migration, steps: order(steps), blockers, renames };
}

/** The plan for removing a module: its table and history go to the trash. */
export function planDrop(before: JsonSchema, others: readonly JsonSchema[]): PlannedChange {
  const name = String(before.$id);
  const blockers: ErrorDetail[] = [];
  const users = others.filter((o) => referencesModule(o, name)).map((o) => String(o.$id));
  if (users.length > 0) {
    blockers.push({ path: '', code: 'module_referenced', message: `Modules ${users.join(', ')} refer to "${name}"`, hint: 'remove those references first' });
  }
  const steps: PlannedStep[] = [{
    kind: 'drop-module', keepsData: false, locks: 'metadata', affects: moduleNameAffects(name, others),
    message: `Remove the module "${name}"; its table and history go to the trash`,
  }];
  return { module: name, newName: name, base: definitionHash(before), after: undefined, before, migration: {}, steps, blockers, renames: new Map() };
}

/** The step that changes a kept field's values or column, if any: convert, narrow, tighten or widen. */
function valueStep(was: Field, now: Field, migration: MigrationInput, blockers: ErrorDetail[]): (Partial<PlannedStep> & { kind: StepKind; message: string }) | undefined {
  const valueMap = migration.valueMap?.[now.name] ?? {};
  const onMisfit: OnMisfit = migration.onMisfit?.[now.name] ?? 'refuse';
  const common = { field: now.name, before: was.schema, after: now.schema, onMisfit };
  const label = `"${now.name}"`;
  if (was.kind === 'ref' && now.kind === 'ref' && was.onDelete !== now.onDelete) {
    blockers.push({ path: pointer('properties', now.name, 'x-on-delete'), code: 'change_unsupported', message: `what happens to ${label} when its record is deleted cannot change yet`, hint: `keep "x-on-delete": "${was.onDelete}"` });
  }
  const removedChoices = was.kind === 'enum' && now.kind === 'enum' ? (was.enum ?? []).filter((v) => !(now.enum ?? []).includes(v)) : [];
  const kindChanged = was.kind !== now.kind || (was.kind === 'ref' && was.ref !== now.ref);
  if (kindChanged || Object.keys(valueMap).length > 0) {
    if (!conversionOf(was, now, valueMap)) {
      blockers.push({ path: pointer('properties', now.name, 'type'), code: 'conversion_unsupported', message: `${label} cannot be converted from ${kindWords(was)} to ${kindWords(now)}`, hint: 'add a new field instead, and remove this one once its data is moved' });
      return undefined;
    }
    const mapped = Object.keys(valueMap).length > 0 ? ` (${Object.entries(valueMap).map(([a, b]) => `${JSON.stringify(a)} → ${JSON.stringify(b)}`).join(', ')})` : '';
    return {
      kind: 'convert', ...common, keepsData: conversionKeepsData(was, now), locks: 'metadata',
      message: kindChanged ? `Convert ${label} from ${kindWords(was)} to ${kindWords(now)}${mapped}` : `Change the values of ${label}${mapped}`,
    };
  }
  const tightened = tightenedKeywords(was, now, removedChoices);
  const grows = columnGrows(was, now);
  const shrinks = columnShrinks(was, now);
  if (shrinks) return { kind: 'narrow', ...common, keyword: shrinks, locks: 'metadata', message: `Narrow ${label} (${shrinks})` };
  if (tightened.length > 0) {
    return { kind: 'tighten', ...common, keyword: tightened.join(', '), locks: grows ? 'metadata' : 'none', message: `Check ${label} against the stricter ${tightened.join(', ')}` };
  }
  if (grows) return { kind: 'widen', ...common, keyword: grows, locks: 'metadata', message: `Widen ${label} (${grows})` };
  // The column of a required field refuses NULL: it is rebuilt to take empty values.
  if (was.required && !now.required) return { kind: 'widen', ...common, keyword: 'may be empty', locks: 'metadata', message: `Let ${label} be empty` };
  return undefined;
}

/** The column of `field` as the tables store it: a change of it needs the column rebuilt. */
export function columnSignature(field: Field): string {
  const width = field.kind === 'enum' ? enumColumnWidth(field.enum ?? []) : field.maxLength ?? '';
  return [field.kind === 'enum' ? 'string' : field.kind, width, field.precision ?? '', field.scale ?? '', field.ref ?? ''].join(':');
}

function columnGrows(was: Field, now: Field): string | undefined {
  if (was.kind === 'string' && now.kind === 'string' && now.maxLength! > was.maxLength!) return `length ${was.maxLength} → ${now.maxLength}`;
  if (was.kind === 'enum' && now.kind === 'enum') {
    const added = (now.enum ?? []).filter((v) => !(was.enum ?? []).includes(v));
    if (added.length > 0) return `new choices ${added.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (was.kind === 'number' && now.kind === 'number' && (now.precision! > was.precision! || now.scale! > was.scale!)) {
    return `precision ${was.precision},${was.scale} → ${now.precision},${now.scale}`;
  }
  return undefined;
}

function columnShrinks(was: Field, now: Field): string | undefined {
  if (was.kind === 'string' && now.kind === 'string' && now.maxLength! < was.maxLength!) return `length ${was.maxLength} → ${now.maxLength}`;
  if (was.kind === 'number' && now.kind === 'number' && (now.precision! < was.precision! || now.scale! < was.scale!)) {
    return `precision ${was.precision},${was.scale} → ${now.precision},${now.scale}`;
  }
  return undefined;
}

/** Validation keywords the new field holds its values to more strictly than the old one. */
function tightenedKeywords(was: Field, now: Field, removedChoices: readonly string[]): string[] {
  const out: string[] = [];
  const a = was.schema;
  const b = now.schema;
  if (now.required && !was.required) out.push('required');
  if (removedChoices.length > 0) out.push('enum');
  if (typeof b.pattern === 'string' && b.pattern !== a.pattern) out.push('pattern');
  if (typeof b.format === 'string' && b.format !== a.format) out.push('format');
  const raised = (k: string) => typeof b[k] === 'number' && (typeof a[k] !== 'number' || (b[k] as number) > (a[k] as number));
  const lowered = (k: string) => typeof b[k] === 'number' && (typeof a[k] !== 'number' || (b[k] as number) < (a[k] as number));
  if (raised('minLength')) out.push('minLength');
  if (now.kind !== 'string' && lowered('maxLength')) out.push('maxLength');
  if (raised('minimum')) out.push('minimum');
  if (lowered('maximum')) out.push('maximum');
  if (raised('exclusiveMinimum')) out.push('exclusiveMinimum');
  if (lowered('exclusiveMaximum')) out.push('exclusiveMaximum');
  return out;
}

function relationSteps(old: Module, next: Module, renames: ReadonlyMap<string, string>, blockers: ErrorDetail[], add: (k: StepKind, s: Partial<PlannedStep> & { message: string }) => void) {
  const oldNameOf = new Map([...renames].map(([o, n]) => [n, o]));
  for (const [name, rel] of next.relations) {
    const was = old.relations.get(oldNameOf.get(name) ?? name);
    if (!was) {
      if (!old.fields.has(oldNameOf.get(name) ?? name)) add('add-relation', { field: name, after: rel.kind === 'many-to-many' ? { 'x-ref': rel.target } : {}, locks: 'none', message: `Add the relation "${name}"` });
    } else if (was.kind !== rel.kind || was.target !== rel.target || (was.via ?? '') !== (rel.via ?? '')) {
      blockers.push({ path: pointer('properties', name), code: 'change_unsupported', message: `the relation "${name}" cannot point elsewhere`, hint: 'add a new relation instead, and remove this one' });
    }
  }
  for (const [name, rel] of old.relations) {
    const now = renames.get(name) ?? name;
    if (next.relations.has(now) || next.fields.has(now)) continue;
    add('drop-relation', {
      field: name, keepsData: rel.kind !== 'many-to-many', locks: 'metadata',
      message: rel.kind === 'many-to-many' ? `Remove the relation "${name}"; its links go to the trash` : `Remove the list of related records "${name}" (the records stay)`,
    });
  }
}

function keySteps(old: Module, next: Module, renames: ReadonlyMap<string, string>, add: (k: StepKind, s: Partial<PlannedStep> & { message: string }) => void) {
  const renamed = (set: readonly string[]) => set.map((c) => renames.get(c) ?? c);
  const key = (set: readonly string[]) => [...set].sort().join(',');
  const alive = (set: readonly string[]) => set.every((c) => next.fields.has(c));
  const plain = (m: Module) => [...m.indexes, ...[...m.fields.values()].filter((f) => f.index && !f.unique && !f.system).map((f) => [f.name])];
  const oldUniques = new Map(old.uniques.map((s) => [key(renamed(s)), renamed(s)]));
  const newUniques = new Map(next.uniques.map((s) => [key(s), s]));
  const oldIndexes = new Map(plain(old).map((s) => [key(renamed(s)), renamed(s)]));
  const newIndexes = new Map(plain(next).map((s) => [key(s), s]));
  const word = (set: readonly string[]) => set.map((c) => `"${c}"`).join(' + ');
  for (const [k, set] of oldUniques) if (!newUniques.has(k) && alive(set)) add('drop-unique', { fields: set, locks: 'metadata', message: `Allow the same ${word(set)} twice` });
  for (const [k, set] of oldIndexes) if (!newIndexes.has(k) && alive(set)) add('drop-index', { fields: set, locks: 'metadata', message: `Remove the index on ${word(set)}` });
  for (const [k, set] of newIndexes) if (!oldIndexes.has(k)) add('add-index', { fields: set, locks: 'none', message: `Index ${word(set)}` });
  for (const [k, set] of newUniques) if (!oldUniques.has(k)) add('add-unique', { fields: set, locks: 'none', message: `Make ${word(set)} unique` });
}

const ORDER: readonly StepKind[] = [
  'rename-module', 'rename-field', 'rename-relation', 'add-field', 'add-relation', 'widen', 'convert', 'narrow', 'tighten',
  'drop-unique', 'drop-index', 'add-index', 'add-unique', 'drop-relation', 'drop-field', 'drop-module', 'describe',
];
const order = (steps: PlannedStep[]) => [...steps].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));

/** What the plan changes besides the steps: titles, help texts, list settings. */
function describedChanges(stored: JsonSchema, after: JsonSchema, renames: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  // Compared with the stored definition as the renames leave it: a rename alone changes no list setting.
  const renamedProps = Object.fromEntries(Object.entries((stored.properties ?? {}) as Record<string, unknown>).map(([k, v]) => [renames.get(k) ?? k, v]));
  const before = renameOwnKeywords({ ...stored, properties: renamedProps }, renames);
  const differs = (k: string) => canonical(before[k]) !== canonical(after[k]);
  if (differs('title') || differs('description') || differs('x-i18n')) out.push('titles');
  if (differs('x-list')) out.push('list settings');
  const oldProps = (before.properties ?? {}) as Record<string, JsonSchema>;
  const newProps = (after.properties ?? {}) as Record<string, JsonSchema>;
  const words = ['title', 'description', 'x-enum-titles', 'x-i18n', 'default', 'readOnly', 'writeOnly'];
  const fields = Object.entries(newProps).filter(([n, p]) => {
    const was = oldProps[n];
    return was && words.some((w) => canonical(was[w]) !== canonical(p[w]));
  }).map(([n]) => `"${n}"`);
  if (fields.length > 0) out.push(`the labels or defaults of ${fields.join(', ')}`);
  const oldOrder = Object.keys(oldProps).filter((n) => n in newProps);
  const newOrder = Object.keys(newProps).filter((n) => oldOrder.includes(n));
  if (oldOrder.join() !== newOrder.join()) out.push('the order of the fields');
  if (differs('x-scope-paths') || differs('x-owner') || differs('x-soft-delete') || differs('x-search-index')) out.push('settings');
  return out;
}

function kindWords(f: Field): string {
  switch (f.kind) {
    case 'string': return `text (up to ${f.maxLength})`;
    case 'text': return 'long text';
    case 'enum': return 'a choice';
    case 'integer': return 'a whole number';
    case 'number': return 'a number';
    case 'boolean': return 'yes/no';
    case 'date': return 'a date';
    case 'datetime': return 'a date and time';
    case 'ref': return `a reference to "${f.ref}"`;
    case 'json': return 'JSON';
    case 'file': return 'a file';
    case 'password': return 'a password';
  }
}

export type { TableLock };
