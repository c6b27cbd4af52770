/**
 * The snapshot format that moves definitions between environments (`GET /api/schema/snapshot`,
 * `npm run schema -- snapshot`):
 *
 *     {"version": 1,
 *      "modules": [{"name": "contact", "source": "api", "base": "<definitionHash>", "definition": {…}}],
 *      "against": {"contact": "<the target's base>", "invoice": null}}
 *
 * `modules` is every stored module, sorted by name; built-in and file modules are included,
 * marked by `source`, but only `api` modules are ever created, changed or dropped from one.
 * `base` is the hash of the definition where the snapshot was taken. A definition may carry an
 * `x-migration` as PUT accepts it (renames, moduleRename, valueMap, onMisfit, confirm), under
 * the module's name in the target. `against` is optional: the target's bases a diff answered,
 * so that applying refuses when the target changed since (`null`: the module must not exist).
 */
import type { ErrorDetail } from '../errors.js';
import { pointer } from './finding.js';
import { MODULE_NAME } from './meta-schema.js';
import type { JsonSchema } from './module.js';
import { definitionHash } from './plan-change.js';

export const SNAPSHOT_VERSION = 1;

export type ModuleSource = 'builtin' | 'file' | 'api';

export interface SnapshotModule {
  readonly name: string;
  readonly source: ModuleSource;
  /** definitionHash of the definition (without its x-migration) where the snapshot was taken. */
  readonly base: string;
  readonly definition: JsonSchema;
}

export interface Snapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly modules: readonly SnapshotModule[];
  /** Module (its name in the target) → the target's base when diffed, or null where it had none. */
  readonly against?: Readonly<Record<string, string | null>>;
}

/** A stored module, as the registry holds it. */
export interface StoredModule {
  readonly name: string;
  readonly source: ModuleSource;
  readonly definition: JsonSchema;
}

/** The snapshot of `stored`: every module, sorted by name so that two snapshots diff line by line. */
export function snapshotOf(stored: readonly StoredModule[]): Snapshot {
  const modules = [...stored]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({ name: s.name, source: s.source, base: definitionHash(s.definition), definition: s.definition }));
  return { version: SNAPSHOT_VERSION, modules };
}

const NAME = new RegExp(MODULE_NAME);
const SOURCES: readonly string[] = ['builtin', 'file', 'api'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a snapshot someone sent: the snapshot, or every problem with its pointer. */
export function readSnapshot(body: unknown): { snapshot: Snapshot; problems: readonly [] } | { snapshot?: undefined; problems: readonly ErrorDetail[] } {
  const problems: ErrorDetail[] = [];
  const hint = 'take one with GET /api/schema/snapshot or npm run schema -- snapshot';
  if (!isObject(body)) return { problems: [{ path: '', code: 'invalid_snapshot', message: 'must be an object', hint }] };
  if (body.version !== SNAPSHOT_VERSION) problems.push({ path: '/version', code: 'unsupported_snapshot', message: `must be ${SNAPSHOT_VERSION}`, hint });
  if (!Array.isArray(body.modules)) problems.push({ path: '/modules', code: 'invalid_snapshot', message: 'must be a list of modules', hint });
  const modules: SnapshotModule[] = [];
  const seen = new Set<string>();
  (Array.isArray(body.modules) ? body.modules : []).forEach((m: unknown, i: number) => {
    const at = (...s: string[]) => pointer('modules', i, ...s);
    if (!isObject(m)) return problems.push({ path: at(), code: 'invalid_snapshot', message: 'must be {"name", "definition"}', hint });
    const name = m.name;
    if (typeof name !== 'string' || !NAME.test(name)) problems.push({ path: at('name'), code: 'invalid_snapshot', message: 'must be a module name', hint: 'a lower-case letter, then letters, digits or _' });
    else if (seen.has(name)) problems.push({ path: at('name'), code: 'invalid_snapshot', message: `"${name}" is listed twice`, hint: 'list each module once' });
    if (!isObject(m.definition)) problems.push({ path: at('definition'), code: 'invalid_snapshot', message: 'must be a module definition', hint });
    if (m.source !== undefined && !SOURCES.includes(m.source as string)) problems.push({ path: at('source'), code: 'invalid_snapshot', message: 'must be "api", "file" or "builtin"', hint: 'leave it out for "api"' });
    if (typeof name === 'string') seen.add(name);
    modules.push({ name: String(name), source: (m.source ?? 'api') as ModuleSource, base: typeof m.base === 'string' ? m.base : '', definition: m.definition as JsonSchema });
  });
  const against = body.against;
  if (against !== undefined && (!isObject(against) || Object.values(against).some((v) => v !== null && typeof v !== 'string'))) {
    problems.push({ path: '/against', code: 'invalid_snapshot', message: 'must map module names to the bases a diff answered (or null)', hint: 'copy "against" from the diff' });
  }
  if (problems.length > 0) return { problems };
  return { snapshot: { version: SNAPSHOT_VERSION, modules, ...(against !== undefined ? { against: against as Record<string, string | null> } : {}) }, problems: [] };
}
