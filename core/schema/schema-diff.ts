/**
 * What applying a snapshot to stored definitions takes: per API module a create, a change or a
 * drop, each planned by the one planner, in an order the references allow — a module is created
 * after the modules it refers to, a change that points at a new name after that name exists,
 * and a module is dropped once nothing refers to it any more. Pure: core/migrate/apply-snapshot.ts
 * measures and applies the result.
 */
import type { ErrorDetail } from '../errors.js';
import type { MigrationInput } from './change-plan.js';
import { checkDefinitions } from './check-definitions.js';
import type { JsonSchema } from './module.js';
import { canonical, definitionHash, planChange, planDrop, splitMigration, type PlannedChange } from './plan-change.js';
import { othersAfterRenames, renamesOf } from './renamed-others.js';
import type { Snapshot, StoredModule } from './schema-snapshot.js';

export type SchemaAction = 'create' | 'change' | 'drop';

export interface ModuleOperation {
  /** The module by its name in the target (for a create, its new name). */
  readonly module: string;
  readonly action: SchemaAction;
  /** The target's base of the module as stored; null for a create. What a snapshot's `against` holds. */
  readonly base: string | null;
  /**
   * Its base when its turn comes: the stored one, unless an earlier operation rewrote the
   * definition (a module it refers to renamed). Apply compares it before each operation.
   */
  readonly baseAtTurn: string | null;
  /** For a create, the steps that build it from nothing; `change.before` is then an empty module. */
  readonly change: PlannedChange;
  /** The token the snapshot's x-migration carries for it, if any. */
  readonly confirm?: string;
}

export interface SchemaDiff {
  /** In the order they are applied. */
  readonly operations: readonly ModuleOperation[];
  /** Modules whose definitions differ but are not the snapshot's to change: built in, or in files. */
  readonly skipped: readonly { readonly module: string; readonly reason: string }[];
}

type Pending = { module: string; action: SchemaAction; wanted?: JsonSchema; migration: MigrationInput; confirm?: string };

/** The operations that make `stored` hold the snapshot's API modules. */
export function diffSchema(stored: readonly StoredModule[], snapshot: Snapshot): SchemaDiff {
  const byName = new Map(stored.map((s) => [s.name, s]));
  const pending: Pending[] = [];
  const skipped: { module: string; reason: string }[] = [];
  const named = new Set<string>();
  for (const entry of snapshot.modules) {
    const { definition, migration, confirm } = splitMigration(entry.definition);
    const rename = typeof migration.moduleRename === 'string' ? migration.moduleRename : undefined;
    named.add(entry.name);
    if (typeof definition.$id === 'string') named.add(definition.$id);
    // A module renamed by an earlier apply of this snapshot is found under its new name.
    const target = byName.get(entry.name) ?? (rename ? byName.get(rename) : undefined);
    if (target && canonical(target.definition) === canonical(definition)) continue;
    if (entry.source !== 'api' || (target && target.source !== 'api')) {
      const where = (s: string) => (s === 'builtin' ? 'built in' : 'defined in files');
      const reason = entry.source !== 'api' ? `${where(entry.source)} where the snapshot was taken` : `${where(target!.source)} here`;
      skipped.push({ module: entry.name, reason: `${reason}: change it there` });
      continue;
    }
    const extra = confirm ? { confirm } : {};
    if (!target) pending.push({ module: entry.name, action: 'create', wanted: definition, migration: {}, ...extra });
    else pending.push({ module: target.name, action: 'change', wanted: definition, migration: stillToDo(target.definition, target.name, migration), ...extra });
  }
  for (const s of stored) if (s.source === 'api' && !named.has(s.name)) pending.push({ module: s.name, action: 'drop', migration: {} });
  return { operations: inOrder(stored, pending), skipped };
}

/** The x-migration without what an earlier apply of the same snapshot did already. */
function stillToDo(def: JsonSchema, name: string, migration: MigrationInput): MigrationInput {
  const props = (def.properties ?? {}) as Record<string, unknown>;
  const renames = Object.fromEntries(Object.entries(migration.renames ?? {}).filter(([from]) => from in props));
  const { renames: _r, moduleRename, ...rest } = migration;
  return {
    ...rest,
    ...(Object.keys(renames).length > 0 ? { renames } : {}),
    ...(moduleRename !== undefined && moduleRename !== name ? { moduleRename } : {}),
  };
}

/**
 * Plans each operation against the definitions as they will be when its turn comes: creates
 * first, then changes, then drops, each as soon as what it refers to is there (or, for a drop,
 * nothing refers to it). What can never be ready is planned last, where its checks say why.
 */
function inOrder(stored: readonly StoredModule[], pending: Pending[]): ModuleOperation[] {
  const world = new Map(stored.map((s) => [s.name, s.definition]));
  const out: ModuleOperation[] = [];
  const rank: Record<SchemaAction, number> = { create: 0, change: 1, drop: 2 };
  const queue = [...pending].sort((a, b) => rank[a.action] - rank[b.action]);
  while (queue.length > 0) {
    const next = queue.find((p) => ready(p, world)) ?? splitCreate(queue, world) ?? queue[0]!;
    queue.splice(queue.indexOf(next), 1);
    const planned = plan(next, world, stored.find((s) => s.name === next.module));
    if (planned) out.push(planned);
  }
  return out;
}

/**
 * Two new modules that list each other's records (a customer's visits, each visit's customer)
 * cannot be created one after the other as they are: the first is created without its lists of
 * related records, which a change adds once the other module exists. Answers that first create.
 */
function splitCreate(queue: Pending[], world: ReadonlyMap<string, JsonSchema>): Pending | undefined {
  for (const [i, p] of queue.entries()) {
    if (p.action !== 'create') continue;
    const first = { ...p, wanted: withoutInverses(p.wanted!) };
    if (first.wanted === p.wanted || !ready(first, world)) continue;
    queue.splice(i, 1, first, { module: p.module, action: 'change', wanted: p.wanted!, migration: {} });
    return first;
  }
  return undefined;
}

/** The definition without its one-to-many relations (and the list settings that name them); itself when it has none. */
function withoutInverses(def: JsonSchema): JsonSchema {
  const props = propertiesOf(def);
  const inverse = new Set(Object.keys(props).filter((k) => typeof props[k]?.['x-inverse'] === 'string'));
  if (inverse.size === 0) return def;
  const kept = (path: unknown) => typeof path !== 'string' || !inverse.has(path.split('.')[0]!);
  const list = def['x-list'] as Record<string, unknown> | undefined;
  return {
    ...def,
    properties: Object.fromEntries(Object.entries(props).filter(([k]) => !inverse.has(k))),
    ...(list ? { 'x-list': Object.fromEntries(Object.entries(list).map(([k, v]) => [k, Array.isArray(v) ? v.filter(kept) : v])) } : {}),
  };
}

function ready(p: Pending, world: ReadonlyMap<string, JsonSchema>): boolean {
  if (p.action === 'drop') return ![...world].some(([name, def]) => name !== p.module && refersTo(def).has(p.module));
  const self = p.action === 'change' ? p.migration.moduleRename ?? p.module : p.module;
  return [...refersTo(p.wanted!)].every((m) => m === self || world.has(m));
}

/**
 * Plans `p` on `world`, and moves `world` on to the definitions after it; undefined when an
 * earlier operation already made the module what the snapshot says.
 */
function plan(p: Pending, world: Map<string, JsonSchema>, stored: StoredModule | undefined): ModuleOperation | undefined {
  const others = [...world].filter(([name]) => name !== p.module).map(([, def]) => def);
  const confirm = p.confirm ? { confirm: p.confirm } : {};
  const base = stored ? definitionHash(stored.definition) : null;
  if (p.action === 'drop') {
    const before = world.get(p.module)!;
    world.delete(p.module);
    return { module: p.module, action: 'drop', base, baseAtTurn: definitionHash(before), change: planDrop(before, others), ...confirm };
  }
  const wanted = p.wanted!;
  if (p.action === 'create') {
    const empty = { $id: p.module, type: 'object', properties: {} };
    const blockers: ErrorDetail[] = [...findings(wanted, others), ...(wanted.$id !== p.module ? [{ path: '/$id', code: 'invalid_definition' as const, message: `must be "${p.module}", the module's name in the snapshot`, hint: 'name the entry as its $id' }] : [])];
    if (blockers.length > 0) return { module: p.module, action: 'create', base: null, baseAtTurn: null, change: unplanned(empty, wanted, {}, blockers), ...confirm };
    const change = planChange(empty, wanted, {}, others);
    world.set(p.module, wanted);
    return { module: p.module, action: 'create', base: null, baseAtTurn: null, change: { ...change, steps: change.steps.filter((s) => s.kind !== 'describe') }, ...confirm };
  }
  const before = world.get(p.module)!;
  if (canonical(before) === canonical(wanted)) return undefined;
  const turn = { module: p.module, action: 'change' as const, base, baseAtTurn: definitionHash(before), ...confirm };
  const followed = othersAfterRenames(world, p.module, p.migration);
  // The planner reads the definition as valid: one that is not is refused with its findings, unplanned.
  const problems = findings({ ...wanted, $id: renamesOf(p.module, p.migration).modules.get(p.module) ?? p.module }, [...followed.values()]);
  if (problems.length > 0) return { ...turn, change: unplanned(before, wanted, p.migration, problems) };
  const change = planChange(before, wanted, p.migration, others);
  if (change.blockers.length > 0) return { ...turn, change };
  world.clear();
  for (const [name, def] of followed) world.set(name, def);
  world.set(change.newName, change.after!);
  return { ...turn, change };
}

/** A change that cannot be planned: its blockers say why. */
function unplanned(before: JsonSchema, wanted: JsonSchema, migration: MigrationInput, blockers: readonly ErrorDetail[]): PlannedChange {
  const module = String(before.$id);
  return { module, newName: module, base: definitionHash(before), after: wanted, before, migration, steps: [], blockers, renames: new Map() };
}

/** The definition's findings beside `others`, as plan blockers. */
function findings(def: JsonSchema, others: readonly JsonSchema[]): ErrorDetail[] {
  return checkDefinitions([def], { existing: new Map(others.map((d) => [String(d.$id), d])) })
    .map((f) => ({ path: f.pointer, code: f.code, message: f.message, hint: f.hint }));
}

/** The modules a definition's references and inverse relations name. */
function refersTo(def: JsonSchema): Set<string> {
  const out = new Set<string>();
  for (const p of Object.values(propertiesOf(def))) {
    if (!p || typeof p !== 'object') continue;
    if (typeof p['x-ref'] === 'string') out.add(p['x-ref']);
    if (typeof p['x-inverse'] === 'string') out.add(p['x-inverse'].split('.')[0]!);
  }
  return out;
}

/** A definition's properties, whatever a snapshot holds there (the checks say what is wrong with it). */
function propertiesOf(def: JsonSchema): Record<string, JsonSchema | null | undefined> {
  const props = def.properties;
  return props && typeof props === 'object' && !Array.isArray(props) ? (props as Record<string, JsonSchema>) : {};
}
