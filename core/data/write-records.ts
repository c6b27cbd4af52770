import { ForeignKeyConstraintError, UniqueConstraintError, type Transaction } from 'sequelize';
import { and, compare, unionAll, type Compiled } from '../query/ast.js';
import { storedDateTime } from '../query/values.js';
import { badRequest, conflict, forbidden, invalidInput, notFound, type ErrorDetail } from '../errors.js';
import { recordValidator } from '../schema/record-validator.js';
import type { Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import { encodeValues, withDefaults } from './encode.js';
import { getRecord, inScope, readWritten } from './read-records.js';
import { visibleWhere } from './visible.js';
import { duplicateError } from './duplicates.js';
import { refusedByReferences } from './references.js';
import { grantRecordErrors } from '../rules/validate-grant-records.js';
import { ScopeColumns } from './scope-column.js';
import { ScopeCounts } from './scope-counts.js';
import { endOtherSessions } from '../auth/end-sessions.js';
import { refuseWithoutAdmin } from './admin-remains.js';
import { isLockConflict } from '../db/lock-conflict.js';
import { deleteOwnRecordsOf } from './own-records.js';
import { checkPurge, markDeleted } from './soft-delete.js';
import type { Written } from './write-hooks.js';
import { attachFiles, withFileHandles } from './file-handles.js';
import { TrigramPostings } from '../search/trigram-table.js';
import { identityCondition } from '../auth/identity-check.js';
import { answeredAgain } from '../auth/identity-hint.js';
import { recordIdempotencyKey } from './idempotency-context.js';

type Payload = Record<string, unknown>;

/** `POST /api/data/<m>`: validate, write, and check that the new record is inside the caller's create scope. */
export async function createRecord(ctx: DataContext, module: Module, payload: unknown, outer?: Transaction): Promise<Record<string, unknown>> {
  // Enabled plugins that hook the module own the transaction around the write (core/plugins/hooks.ts).
  const written = ctx.hooks?.wraps(module, 'create')
    ? await ctx.hooks.create(ctx, module, payload, outer, (bound, changed) => createWritten(bound, module, changed))
    : await createWritten(ctx, module, payload, outer);
  return readable(module, written.id, written.record);
}

async function createWritten(ctx: DataContext, module: Module, payload: unknown, outer?: Transaction): Promise<Written> {
  ctx.access.require(module, 'create');
  const body = await withFileHandles(ctx, module, checkPayload(ctx, module, payload, 'create'));
  const grantErrors = grantRecordErrors(module, body, ctx.graph);
  if (grantErrors.length > 0) throw invalidInput(grantErrors);
  const values = await encodeValues(module, withDefaults(module, stripManyToMany(module, body)));
  const now = storedDateTime(new Date());
  // The references are checked by the INSERT itself; only a refused insert asks which one failed.
  const references = referencesOf(ctx, module, body).map(({ select, ids }) => ({ select, count: ids.length }));
  // On a guessed identity (core/api/session.ts) the INSERT also requires that the guess holds: one
  // statement authenticates and writes. Refused, the request is answered again on the full path.
  const guess = ctx.pending && !ctx.pending.confirmed ? ctx.pending : undefined;
  return write(ctx, module, body, async (tx) => {
    const { id: newId, inserted } = await ctx.db.insertIf(ctx.writer.insert(module, {
      ...values, createdAt: now, updatedAt: now, createdBy: ctx.access.actor.id, updatedBy: ctx.access.actor.id, version: 1,
    }, references, guess && identityCondition(ctx.db, guess)), tx);
    if (guess) {
      if (inserted === 0) throw answeredAgain(guess);
      guess.confirmed = true;
    }
    if (inserted === 0) {
      const details = await checkReferences(ctx, module, body, tx);
      throw details.length > 0 ? invalidInput(details) : conflict('conflict', 'A referenced record changed while this one was written; nothing was written, try again');
    }
    await new TrigramPostings(ctx.db).added(module, newId, values, tx);
    await writeManyToMany(ctx, module, newId, body, tx);
    const after = await readWritten(ctx, module, newId, 'create', tx);
    if (!after.allowed) {
      throw forbidden(`${module.name}:create`, `The new ${module.name} would be outside the records you may create; nothing was written`);
    }
    await recordIdempotencyKey(ctx.db, tx, { kind: 'create', module: module.name }, newId);
    await afterAccessChange(ctx, module, tx);
    // Last before the commit: the count row stays locked for as short a time as possible.
    await new ScopeCounts(ctx.db, ctx.writer).added(module, newId, tx);
    return { id: newId, record: after.record };
  }, outer);
}

/** The reply to a write: the record as written, or 404 when the caller may write it but not read it. */
function readable(module: Module, id: number, record: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!record) throw notFound(`${module.name} ${id}`);
  return record;
}

/** `PATCH /api/data/<m>/<id>`: update the given fields if the record is in scope and, when a version is given, unchanged since. */
export async function updateRecord(
  ctx: DataContext, module: Module, id: number, payload: unknown, ifMatch?: string, outer?: Transaction,
): Promise<Record<string, unknown>> {
  const written = ctx.hooks?.wraps(module, 'update')
    ? await ctx.hooks.update(ctx, module, id, payload, outer, (bound, changed) => updateWritten(bound, module, id, changed, ifMatch))
    : await updateWritten(ctx, module, id, payload, ifMatch, outer);
  return readable(module, id, written.record);
}

async function updateWritten(
  ctx: DataContext, module: Module, id: number, payload: unknown, ifMatch?: string, outer?: Transaction,
): Promise<Written> {
  ctx.access.require(module, 'update');
  const body = await withFileHandles(ctx, module, checkPayload(ctx, module, payload, 'update'), id);
  const version = expectedVersion(body.version, ifMatch);
  delete body.version;
  if (module.builtin && (module.name === 'rule' || module.name === 'permission')) {
    const current = await getRecord(ctx, module, id, undefined, 'update');
    const grantErrors = grantRecordErrors(module, { ...current, ...body }, ctx.graph);
    if (grantErrors.length > 0) throw invalidInput(grantErrors);
  }
  const values = await encodeValues(module, stripManyToMany(module, body));
  const guard = visibleWhere(module, 'update', and(), ctx.access, ctx.graph);
  const record = await write(ctx, module, body, async (tx) => {
    const columns = new ScopeColumns(ctx.db, ctx.graph);
    const statement = ctx.writer.update(module, id, {
      ...values, updatedAt: storedDateTime(new Date()), updatedBy: ctx.access.actor.id,
    }, { version, guard });
    // A new first reference on the scope path moves the record to another department's count.
    const moves = module.scopeColumn !== undefined && module.scopeColumn.path[0]! in values;
    const postings = new TrigramPostings(ctx.db);
    const searched = await postings.before(module, id, values, tx);
    const changed = moves
      ? await columns.counts.around([{ module, where: compare('id', 'eq', id) }], tx, () => ctx.db.update(statement, tx))
      : await ctx.db.update(statement, tx);
    if (changed === 0) throw await whyNotWritten(ctx, module, id, 'update', version, tx);
    await columns.afterUpdate(module, id, new Set(Object.keys(values)), tx);
    if (searched) await postings.changed(module, id, searched, values, tx);
    await writeManyToMany(ctx, module, id, body, tx);
    // An update may not move a record out of what the caller may update (e.g. to another department).
    const after = await readWritten(ctx, module, id, 'update', tx);
    if (!after.allowed) {
      throw forbidden(`${module.name}:update`, `After this change the ${module.name} would be outside the records you may update; nothing was written`);
    }
    await recordIdempotencyKey(ctx.db, tx, { kind: 'update', module: module.name, id }, id);
    await afterAccessChange(ctx, module, tx);
    await keepAnAdmin(ctx, module, tx);
    if (module.builtin && module.name === 'user' && 'password' in body) {
      await endOtherSessions(ctx.db, id, ctx.access.actor.id === id ? ctx.sessionId : undefined, tx);
    }
    return after.record;
  }, outer, id);
  return { id, record };
}

/**
 * `DELETE /api/data/<m>/<id>`: refused with 409 while restricting references point at it. With
 * x-soft-delete the record is marked deleted instead (core/data/soft-delete.ts); `purge` then
 * removes a deleted one for good.
 */
export async function deleteRecord(ctx: DataContext, module: Module, id: number, outer?: Transaction, purge = false): Promise<void> {
  // A purge removes what is already deleted (and invisible): no hook sees it again.
  if (!purge && ctx.hooks?.wraps(module, 'delete')) return ctx.hooks.delete(ctx, module, id, outer, (bound) => deleteRow(bound, module, id, undefined, false));
  return deleteRow(ctx, module, id, outer, purge);
}

async function deleteRow(ctx: DataContext, module: Module, id: number, outer: Transaction | undefined, purge: boolean): Promise<void> {
  ctx.access.require(module, 'delete');
  const guard = visibleWhere(module, 'delete', and(), ctx.access, ctx.graph, purge ? 'deleted' : 'live');
  await ctx.db.transaction(async (tx) => {
    if (purge) await checkPurge(ctx, module, id, tx);
    else if (!(await inScope(ctx, module, id, 'delete', tx))) throw await whyNotWritten(ctx, module, id, 'delete', undefined, tx);
    await recordIdempotencyKey(ctx.db, tx, { kind: 'delete', module: module.name, id }, id);
    if (module.softDelete && !purge) return markDeleted(ctx, module, id, guard, tx);
    const refused = await refusedByReferences(ctx, module, id, tx);
    if (refused) throw refused;
    const columns = new ScopeColumns(ctx.db, ctx.graph);
    await columns.beforeDelete(module, id, tx);
    await new TrigramPostings(ctx.db).removed(module, id, tx);
    const removed = await columns.deleting(module, id, tx, () => ctx.db.delete(ctx.writer.delete(module, id, guard), tx));
    if (removed === 0) throw notFound(`${module.name} ${id}`);
    if (module.builtin && module.name === 'user') await deleteOwnRecordsOf(ctx.db, ctx.graph, id, tx);
    await afterAccessChange(ctx, module, tx);
    await keepAnAdmin(ctx, module, tx);
  }, outer);
}

function checkPayload(ctx: DataContext, module: Module, payload: unknown, mode: 'create' | 'update'): Payload {
  const details = recordValidator(module)[mode](payload);
  const body = { ...(payload as Payload) };
  if (details.length === 0) {
    for (const name of Object.keys(body)) {
      const field = module.fields.get(name);
      if (field && !field.system && !ctx.access.canWrite(module, field)) {
        details.push({ path: `/${name}`, message: 'you may not write this field', code: 'field_forbidden' });
      }
      // Access control: a relation is written like a field, so writeFields without `roles` cannot grant roles.
      const relation = module.relations.get(name);
      if (relation && ctx.access.canWriteRelation && !ctx.access.canWriteRelation(module, relation)) {
        details.push({ path: `/${name}`, message: 'you may not write this field', code: 'field_forbidden' });
      }
    }
  }
  if (details.length > 0) throw invalidInput(details);
  return body;
}

function expectedVersion(bodyVersion: unknown, ifMatch: string | undefined): number | undefined {
  const header = ifMatch?.replace(/^W\//, '').replace(/"/g, '').trim();
  if (header !== undefined && header !== '' && header !== '*') {
    if (!/^\d{1,15}$/.test(header)) throw badRequest('invalid_version', 'If-Match must be the record version, e.g. If-Match: 3', [{ path: '/version', message: 'If-Match is not a version number' }]);
    return Number(header);
  }
  return typeof bodyVersion === 'number' ? bodyVersion : undefined;
}

/** After a write touched no row: not there (404), not yours (403), or changed since (409). */
async function whyNotWritten(ctx: DataContext, module: Module, id: number, action: 'update' | 'delete', version: number | undefined, tx: Transaction) {
  if (!(await inScope(ctx, module, id, 'read', tx))) return notFound(`${module.name} ${id}`);
  if (!(await inScope(ctx, module, id, action, tx))) {
    return forbidden(`${module.name}:${action}`, `You may read this ${module.name} but not ${action} it; nothing was written`);
  }
  const rows = await ctx.db.all({ sql: `SELECT ${ctx.db.quote('version')} AS v FROM ${ctx.db.quote(module.table)} WHERE ${ctx.db.quote('id')} = $1`, params: [id] }, tx);
  return conflict('stale', `This ${module.name} was changed since you read it (you sent version ${version}, it is now ${rows[0]?.v}); reload it and apply your change again. Nothing was written.`, {
    currentVersion: Number(rows[0]?.v),
  });
}

/** Runs a write in a transaction; checks references first and turns constraint errors into API errors. */
// test/api (duplicates): `id` is the record an update changes, so that a duplicate on a composite
// x-unique of which the patch sends only some fields can still name the existing record.
/** How often a write of its own runs after the database rolled it back for a lock conflict. */
const LOCK_RETRIES = 4;

async function write<T>(
  ctx: DataContext, module: Module, body: Payload, fn: (tx: Transaction) => Promise<T>, outer?: Transaction, id?: number,
): Promise<T> {
  // A create checks its references in its INSERT (createWritten).
  if (id !== undefined) {
    const refDetails = await checkReferences(ctx, module, body);
    if (refDetails.length > 0) throw invalidInput(refDetails);
  }
  try {
    // A transaction of its own (no plugin's, no caller's) only writes the database: after a
    // deadlock, which rolled it back, it runs again; the version check then answers a lost race.
    for (let attempt = 1; ; attempt++) {
      try {
        return await ctx.db.transaction(async (tx) => {
          const result = await fn(tx);
          await attachFiles(ctx, module, body, tx);
          return result;
        }, outer);
      } catch (e) {
        if (outer || attempt >= LOCK_RETRIES || !isLockConflict(e)) throw e;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  } catch (e) {
    if (e instanceof UniqueConstraintError) throw (await duplicateError(ctx, module, body, id)) ?? conflict('duplicate', `A ${module.name} with these values already exists`);
    if (e instanceof ForeignKeyConstraintError) throw badRequest('invalid_reference', 'A referenced record does not exist; nothing was written');
    throw e;
  }
}

/** The references a payload names, per field: each id must name a record the caller may read. */
function referencesOf(ctx: DataContext, module: Module, body: Payload): { name: string; target: string; ids: number[]; select: Compiled }[] {
  const checks: { name: string; target: string; ids: number[]; select: Compiled }[] = [];
  for (const [name, value] of Object.entries(body)) {
    const field = module.fields.get(name);
    const rel = module.relations.get(name);
    const target = field?.kind === 'ref' ? field.ref : rel?.kind === 'many-to-many' ? rel.target : undefined;
    if (!target || value === null || value === undefined) continue;
    const ids = [...new Set(Array.isArray(value) ? (value as number[]) : [value as number])];
    if (ids.length === 0) continue;
    const select = ctx.compiler.select({
      module: target,
      where: visibleWhere(ctx.graph.modules.get(target)!, 'read', compare('id', 'in', ids), ctx.access, ctx.graph),
      columns: [{ refs: [], field: 'id' }],
      orderBy: [],
    });
    checks.push({ name, target, ids, select });
  }
  return checks;
}

/** Every id in a reference must name a record the caller may read: no linking to what one cannot see. */
// All references in one statement (Q5 of the benchmark: a round trip per reference was most of a create).
async function checkReferences(ctx: DataContext, module: Module, body: Payload, tx?: Transaction): Promise<ErrorDetail[]> {
  const checks = referencesOf(ctx, module, body);
  if (checks.length === 0) return [];
  const rows = await ctx.db.all(unionAll(checks.map((c) => c.select)), tx);
  const details: ErrorDetail[] = [];
  checks.forEach(({ name, target, ids }, i) => {
    const found = new Set(rows.filter((r) => Number(r.branch) === i).map((r) => Number(r.id)));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) details.push({ path: `/${name}`, message: `no ${target} with id ${missing.join(', ')}`, code: 'invalid_reference' });
  });
  return details;
}

function stripManyToMany(module: Module, body: Payload): Payload {
  const out: Payload = {};
  for (const [k, v] of Object.entries(body)) if (!module.relations.has(k)) out[k] = v;
  return out;
}

async function writeManyToMany(ctx: DataContext, module: Module, id: number, body: Payload, tx: Transaction) {
  const q = (s: string) => ctx.db.quote(s);
  for (const rel of module.relations.values()) {
    if (rel.kind !== 'many-to-many' || !(rel.name in body)) continue;
    const ids = [...new Set((body[rel.name] as number[] | null) ?? [])];
    const table = q(rel.junction!.table);
    await ctx.db.delete({ sql: `DELETE FROM ${table} WHERE ${q('source')} = $1`, params: [id] }, tx);
    for (const target of ids) {
      await ctx.db.insert({ sql: `INSERT INTO ${table} (${q('source')}, ${q('target')}) VALUES ($1, $2)`, params: [id, target] }, tx);
    }
  }
}

/**
 * Modules whose records decide who sees what: a write to one of them moves the generation, so
 * that every process recompiles permissions and rules on its next request.
 */
export const ACCESS_MODULES = new Set(['user', 'role', 'department', 'permission', 'rule', 'token']);

/** After an update or delete of a user or role: an administrator is left (a create cannot take one away). */
async function keepAnAdmin(ctx: DataContext, module: Module, tx: Transaction) {
  if (module.builtin && (module.name === 'user' || module.name === 'role')) await refuseWithoutAdmin(ctx.db, tx);
}

async function afterAccessChange(ctx: DataContext, module: Module, tx: Transaction) {
  // In the same transaction as the change: no process can see the change with an old generation.
  if (module.builtin && ACCESS_MODULES.has(module.name)) await ctx.registry.bump(tx);
}
