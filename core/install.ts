import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ensureSessionTable } from './auth/session-adapter.js';
import { ensureTokenTable } from './auth/tokens.js';
import { ensureFilesTable } from './files/files-table.js';
import { ensureIdempotencyTable } from './db/idempotency-table.js';
import { hashPassword, randomPassword } from './auth/password.js';
import type { Database } from './db/database.js';
import type { Registry, StoredDefinition } from './db/registry.js';
import { syncTables } from './db/ddl.js';
import { ScopeColumns } from './data/scope-column.js';
import { ScopeCounts } from './data/scope-counts.js';
import { syncTrigramIndexes } from './search/trigram-table.js';
import { buildGraph } from './schema/build-graph.js';
import { DefinitionError } from './schema/finding.js';
import { applyChange, dryRun } from './migrate/apply-change.js';
import { resumeChanges } from './migrate/resume.js';
import type { MigrationInput } from './schema/change-plan.js';
import { canonical, planChange, splitMigration } from './schema/plan-change.js';
import type { Finding } from './schema/finding.js';
import { loadMetadataDir } from './schema/load-metadata.js';
import type { JsonSchema } from './schema/module.js';

export const SYSTEM_MODULES_DIR = fileURLToPath(new URL('./system-modules/', import.meta.url));
export const DEFAULT_METADATA_DIR = path.resolve(fileURLToPath(new URL('../metadata/', import.meta.url)));

export interface InstallOptions {
  /** Where app modules are defined; `metadata/` of the repository by default. */
  readonly metadataDir?: string | undefined;
  /** Apps (`metadata/<app>/`, and the plugin `modules/<app>/`) to leave out: `crm` with DEMO=0. */
  readonly skipApps?: readonly string[];
  /** Module definitions that plugins ship (`modules/<name>/metadata`), checked after the app's. */
  readonly pluginMetadataDirs?: readonly string[];
  /** Password of `admin` when it is first created; otherwise a random one is generated and reported. */
  readonly adminPassword?: string | undefined;
  readonly log?: (line: string) => void;
}

/**
 * Brings a database up to the code's definitions: system tables, built-in and metadata modules
 * (checked together, all findings at once), their tables (additive only), and the admin account.
 * Safe to run at every start and from several processes.
 */
export async function install(db: Database, registry: Registry, opts: InstallOptions = {}): Promise<void> {
  const log = opts.log ?? (() => undefined);
  await registry.ensureTables();
  await resumeChanges(db, registry, log);
  await ensureSessionTable(db.sequelize);
  await ensureTokenTable(db);
  await ensureFilesTable(db);
  await ensureIdempotencyTable(db);

  const builtin = await loadMetadataDir(SYSTEM_MODULES_DIR);
  const existing = new Map<string, unknown>(builtin.definitions.map((d) => [String((d as JsonSchema).$id), d]));
  const app = await loadMetadataDir(opts.metadataDir ?? DEFAULT_METADATA_DIR, { existing, skipApps: opts.skipApps ?? [] });
  // Plugins sit on top of the app: their modules may refer to the app's, not the other way round.
  for (const d of app.definitions) existing.set(String((d as JsonSchema).$id), d);
  for (const dir of opts.pluginMetadataDirs ?? []) {
    const shipped = await loadMetadataDir(dir, { existing });
    for (const d of shipped.definitions) existing.set(String((d as JsonSchema).$id), d);
    app.definitions.push(...shipped.definitions);
    app.findings.push(...shipped.findings);
  }
  const findings = [...builtin.findings, ...app.findings];
  if (findings.length > 0) throw new DefinitionError(findings);

  const wanted: (StoredDefinition & { migration: MigrationInput; confirm?: string })[] = [
    ...builtin.definitions.map((d) => ({ ...splitMigration(d as JsonSchema), source: 'builtin' as const })),
    ...app.definitions.map((d) => ({ ...splitMigration(d as JsonSchema), source: 'file' as const })),
  ].map((w) => ({ ...w, name: String(w.definition.$id) }));
  // A changed file goes through the same planner as the API: renames and conversions as its
  // x-migration says, nothing lost without the dry run's token in x-migration.confirm.
  const refused: Finding[] = [];
  for (const def of wanted) {
    const all = await registry.definitions();
    const before = all.find((s) => s.name === def.name);
    if (!before || canonical(before.definition) === canonical(def.definition)) continue;
    const others = all.filter((s) => s.name !== before.name).map((s) => s.definition);
    const change = planChange(before.definition, def.definition, alreadyApplied(before.definition, def.migration), others);
    const plan = await dryRun(db, registry, change);
    for (const b of plan.blockers) refused.push({ code: b.code ?? 'change_unsupported', pointer: b.path, module: def.name, message: b.message, hint: b.hint ?? 'change the file back' });
    if (plan.blockers.length > 0) continue;
    if (plan.needsConfirmation && def.confirm !== plan.token) {
      const losing = plan.steps.filter((s) => !s.keepsData).map((s) => s.message).join('; ');
      refused.push({ code: 'confirmation_required', pointer: '/x-migration/confirm', module: def.name, message: `the change loses data (${losing})`, hint: `if that is meant, add "confirm": "${plan.token}" to its "x-migration"` });
      continue;
    }
    await applyChange(db, registry, change, { actor: { id: null, username: 'metadata' }, origin: 'file', confirm: plan.token });
    if (before.source !== def.source) await registry.save({ name: change.newName, source: def.source, definition: change.after! });
    if (plan.steps.some((s) => s.kind !== 'describe')) log(`Changed the module "${def.name}" as its file says: ${plan.steps.map((s) => s.message).join('; ')}.`);
  }
  if (refused.length > 0) throw new DefinitionError(refused);
  const stored = new Map((await registry.definitions()).map((s) => [s.name, s]));
  let changed = false;
  for (const def of wanted) {
    const before = stored.get(def.name);
    if (before && canonical(before.definition) === canonical(def.definition) && before.source === def.source) continue;
    await registry.save({ name: def.name, source: def.source, definition: def.definition });
    changed = true;
  }
  // A module whose file is gone keeps its table and data; it becomes an API module that admins can change or delete.
  const wantedNames = new Set(wanted.map((w) => w.name));
  for (const before of stored.values()) {
    if (before.source === 'api' || wantedNames.has(before.name)) continue;
    await registry.save({ ...before, source: 'api' });
    log(`Module "${before.name}" is no longer defined in files; it is kept with its data and can be changed or deleted through /api/modules.`);
    changed = true;
  }
  const all = await registry.definitions();
  const graph = buildGraph(all.map((s) => s.definition));
  const added = await syncTables(db, graph, [...graph.modules.keys()]);
  const columns = new ScopeColumns(db, graph);
  // A database from before the maintained counts gets them from its rows.
  if ((await ScopeCounts.ensureTable(db)) && stored.size > 0) for (const module of graph.modules.values()) await columns.counts.rebuild(module);
  // Department copies (`_scope`) that are new, or whose path changed, are rebuilt from the references.
  const before = stored.size > 0 ? buildGraph([...stored.values()].map((s) => s.definition)) : undefined;
  const rebuilt = await columns.rebuildChanged(before, added);
  if (stored.size > 0 && rebuilt.length > 0) log(`Rebuilt the department column of ${rebuilt.join(', ')}.`);
  const indexed = await syncTrigramIndexes(db, graph, before);
  if (stored.size > 0 && indexed.length > 0) log(`Built the trigram search index of ${indexed.join(', ')}.`);
  if (changed) await registry.bump();
  const adminId = await ensureAdmin(db, opts.adminPassword, log);
  if (adminId !== undefined) await columns.counts.added(graph.modules.get('user')!, adminId);
}

/**
 * A file keeps its x-migration after it was applied: renames whose old field is gone and whose
 * new one is stored already are done, and a module rename already made is too.
 */
function alreadyApplied(stored: JsonSchema, migration: MigrationInput): MigrationInput {
  const props = (stored.properties ?? {}) as Record<string, unknown>;
  const renames = Object.fromEntries(Object.entries(migration.renames ?? {}).filter(([from]) => from in props));
  const { renames: _done, moduleRename: _unused, ...rest } = migration;
  return { ...rest, ...(Object.keys(renames).length > 0 ? { renames } : {}) };
}

/** The admin account and role, when missing; the new account's id. */
async function ensureAdmin(db: Database, password: string | undefined, log: (line: string) => void): Promise<number | undefined> {
  const q = (s: string) => db.quote(s);
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  let role = await db.all({ sql: `SELECT id FROM ${q('role')} WHERE ${q('name')} = $1`, params: ['admin'] });
  if (role.length === 0) {
    await db.insert({
      sql: `INSERT INTO ${q('role')} (${q('name')}, ${q('description')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ($1, $2, $3, $3, 1)`,
      params: ['admin', 'Built in: may do everything and sees every record', now],
    });
    role = await db.all({ sql: `SELECT id FROM ${q('role')} WHERE ${q('name')} = $1`, params: ['admin'] });
  }
  const users = await db.all({ sql: `SELECT id FROM ${q('user')} WHERE ${q('username')} = $1`, params: ['admin'] });
  if (users.length > 0) return undefined;
  const plain = password && password.length > 0 ? password : randomPassword();
  const id = await db.insert({
    sql: `INSERT INTO ${q('user')} (${q('username')}, ${q('password')}, ${q('name')}, ${q('active')}, ${q('createdAt')}, ${q('updatedAt')}, ${q('version')}) VALUES ($1, $2, $3, $4, $5, $5, 1)`,
    params: ['admin', await hashPassword(plain), 'Administrator', 1, now],
  });
  await db.insert({ sql: `INSERT INTO ${q('user_roles')} (${q('source')}, ${q('target')}) VALUES ($1, $2)`, params: [id, Number(role[0]!.id)] });
  if (!password) log(`Created the admin account. Log in as admin with password: ${plain}  (shown once; set ADMIN_PASSWORD to choose it)`);
  return id;
}
