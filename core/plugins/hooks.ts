/**
 * Runs the enabled plugins' hooks around the engine's writes (core/data/write-hooks.ts). Per
 * write, in its transaction: the payload is validated, the before hooks may change it or refuse,
 * the engine writes (validating again: a hook cannot store what the schema refuses), the after
 * hooks see the record as written and may still refuse (rolling everything back), and the
 * after-commit hooks are queued on the transaction, to run once it commits.
 */
import type { Transaction } from 'sequelize';
import { HttpError, invalidInput, notFound } from '../errors.js';
import type { DataContext } from '../data/context.js';
import { withDefaults } from '../data/encode.js';
import { getRecord, inScope } from '../data/read-records.js';
import type { StoredRecord, WriteAction, WriteHooks, Written } from '../data/write-hooks.js';
import { recordValidator } from '../schema/record-validator.js';
import { SYSTEM_FIELDS, type Module } from '../schema/module.js';
import { bindContext, systemView } from './bound-context.js';
import type { Plugin } from './define-plugin.js';
import { committedScope, extendScope, pluginScope, runAfterCommit, type Log } from './scope.js';
import type { HookContext, HookName } from './types.js';

type Payload = Record<string, unknown>;
type HookFn = (arg: unknown, ctx: unknown) => unknown;

const EVENTS: Record<WriteAction, readonly HookName[]> = {
  create: ['beforeCreate', 'afterCreate', 'afterCreateCommit'],
  update: ['beforeUpdate', 'afterUpdate', 'afterUpdateCommit'],
  delete: ['beforeDelete', 'afterDelete', 'afterDeleteCommit'],
  restore: ['afterRestore', 'afterRestoreCommit'],
};

export class PluginHooks implements WriteHooks {
  constructor(
    private readonly plugins: readonly Plugin[],
    private readonly logFor: (plugin: Plugin) => Log,
  ) {}

  wraps(module: Module, action: WriteAction): boolean {
    return EVENTS[action].some((name) => this.hooksOf(module, name).length > 0);
  }

  async create(ctx: DataContext, module: Module, payload: unknown, outer: Transaction | undefined,
    write: (ctx: DataContext, payload: unknown) => Promise<Written>): Promise<Written> {
    ctx.access.require(module, 'create');
    // Before hooks see a valid payload, with the definition's defaults filled in.
    const invalid = recordValidator(module).create(payload);
    if (invalid.length > 0) throw invalidInput(invalid);
    const sent = payload as Payload;
    const filled = withDefaults(module, sent);
    // A plugin's before hook runs as a confirmed caller, never on a guess (core/api/session.ts).
    if (this.hooksOf(module, 'beforeCreate').length > 0) await ctx.confirmed();
    return ctx.db.transaction(async (tx) => {
      const bound = bindContext(ctx, tx);
      let body: Payload = { ...filled };
      for (const [plugin, fn] of this.hooksOf(module, 'beforeCreate')) {
        body = payloadOf(await this.run(plugin, module, 'beforeCreate', () => fn(body, this.context(plugin, bound, module))), body);
      }
      const written = await write(bound, changedOrSent(sent, filled, body));
      const record = await writtenWhole(bound, module, written);
      await this.runAll(bound, module, 'afterCreate', record, { written: body });
      this.queue(tx, ctx, module, 'afterCreateCommit', record);
      return written;
    }, outer);
  }

  async update(ctx: DataContext, module: Module, id: number, payload: unknown, outer: Transaction | undefined,
    write: (ctx: DataContext, payload: unknown) => Promise<Written>): Promise<Written> {
    ctx.access.require(module, 'update');
    const invalid = recordValidator(module).update(payload);
    if (invalid.length > 0) throw invalidInput(invalid);
    const { version, ...sent } = payload as Payload;
    return ctx.db.transaction(async (tx) => {
      const bound = bindContext(ctx, tx);
      const before = await beforeWrite(bound, module, id);
      let patch: Payload = { ...sent };
      for (const [plugin, fn] of this.hooksOf(module, 'beforeUpdate')) {
        const change = { id, patch, before };
        patch = payloadOf(await this.run(plugin, module, 'beforeUpdate', () => fn(change, this.context(plugin, bound, module))), change.patch);
      }
      const written = await write(bound, version === undefined ? patch : { ...patch, version });
      const after = await writtenWhole(bound, module, written);
      const event = { id, before, after, changes: changes(module, before, after) };
      await this.runAll(bound, module, 'afterUpdate', event, { written: patch });
      this.queue(tx, ctx, module, 'afterUpdateCommit', event);
      return written;
    }, outer);
  }

  async delete(ctx: DataContext, module: Module, id: number, outer: Transaction | undefined,
    write: (ctx: DataContext) => Promise<void>): Promise<void> {
    ctx.access.require(module, 'delete');
    await ctx.db.transaction(async (tx) => {
      const bound = bindContext(ctx, tx);
      const record = await beforeWrite(bound, module, id);
      await this.runAll(bound, module, 'beforeDelete', record);
      await write(bound);
      await this.runAll(bound, module, 'afterDelete', record);
      this.queue(tx, ctx, module, 'afterDeleteCommit', record);
    }, outer);
  }

  /** A restore (x-soft-delete): the record is live again when the after hooks see it. */
  async restore(ctx: DataContext, module: Module, id: number, outer: Transaction | undefined,
    write: (ctx: DataContext) => Promise<Written>): Promise<Written> {
    ctx.access.require(module, 'delete');
    return ctx.db.transaction(async (tx) => {
      const bound = bindContext(ctx, tx);
      const written = await write(bound);
      const record = await wholeRecord(bound, module, id);
      await this.runAll(bound, module, 'afterRestore', record);
      this.queue(tx, ctx, module, 'afterRestoreCommit', record);
      return written;
    }, outer);
  }

  /** Each plugin's hooks of the module, then its `'*'` hooks (every module). */
  private hooksOf(module: Module, name: HookName): [Plugin, HookFn][] {
    const out: [Plugin, HookFn][] = [];
    for (const plugin of this.plugins) {
      for (const hooks of [plugin.definition.hooks?.[module.name], plugin.definition.hooks?.['*']]) {
        const fn = hooks?.[name];
        if (typeof fn === 'function') out.push([plugin, fn.bind(hooks) as HookFn]);
      }
    }
    return out;
  }

  private context(plugin: Plugin, bound: DataContext, module: Module, extra?: Pick<HookContext<unknown>, 'written'>): HookContext<any> {
    return extendScope(pluginScope(bound, this.logFor(plugin)), { module: module.name, ...extra }) as HookContext<any>;
  }

  /** Every plugin's `hook` on `module`, in order, with the same argument, inside the write's transaction. */
  private async runAll(bound: DataContext, module: Module, hook: HookName, arg: unknown, extra?: Pick<HookContext<unknown>, 'written'>): Promise<void> {
    for (const [plugin, fn] of this.hooksOf(module, hook)) {
      await this.run(plugin, module, hook, () => fn(arg, this.context(plugin, bound, module, extra)));
    }
  }

  /** A refusal (HttpError) is the hook's answer to the caller; anything else is a bug in the plugin, logged with its name. */
  private async run(plugin: Plugin, module: Module, hook: HookName, fn: () => unknown): Promise<unknown> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof HttpError)) this.logFor(plugin)(`${hook} on ${module.name} failed; the write is rolled back: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      throw e;
    }
  }

  private queue(tx: Transaction, ctx: DataContext, module: Module, hook: HookName, arg: unknown): void {
    for (const [plugin, fn] of this.hooksOf(module, hook)) {
      const log = this.logFor(plugin);
      tx.afterCommit(() => runAfterCommit(() => fn(arg, committedScope(ctx, log)), (line) => log(`${hook} on ${module.name}: ${line}`)));
    }
  }
}

/**
 * The record an update or delete is about, whole (every field, as the engine sees it), once the
 * caller is known to see it: a record they may not read is not there (404), as the engine says.
 */
async function beforeWrite(bound: DataContext, module: Module, id: number): Promise<StoredRecord> {
  if (!(await inScope(bound, module, id, 'read'))) throw notFound(`${module.name} ${id}`);
  return wholeRecord(bound, module, id);
}

/** Hooks see records whole, whatever the caller may read of them: an audit needs every field. */
function wholeRecord(bound: DataContext, module: Module, id: number): Promise<StoredRecord> {
  return getRecord(systemView(bound), module, id);
}

/**
 * The record just written, whole. The engine's reply was read inside the write's transaction
 * as the caller reads it; when the caller may read every field, that is the whole record and a
 * second read would only repeat it (the million-row benchmark's Q5). A copy: hooks must not change the reply.
 */
async function writtenWhole(bound: DataContext, module: Module, written: Written): Promise<StoredRecord> {
  const readsAll = [...module.fields.values()].every((f) => f.internal || f.writeOnly || bound.access.canRead(module, f));
  return written.record && readsAll ? structuredClone(written.record) : wholeRecord(bound, module, written.id);
}

/** What a before hook left: its return value, or the payload it changed in place. */
function payloadOf(returned: unknown, current: Payload): Payload {
  if (returned === undefined) return current;
  if (typeof returned !== 'object' || returned === null || Array.isArray(returned)) {
    throw new Error('a before hook must return the payload (an object) or nothing');
  }
  return returned as Payload;
}

/**
 * What the engine is asked to write: what the caller sent and what the hooks changed or added;
 * defaults the hooks left alone stay out, for the engine to fill in as it always does (so that
 * a default on a field the caller may not write is not taken for the caller writing it).
 */
function changedOrSent(sent: Payload, filled: Payload, body: Payload): Payload {
  const out: Payload = {};
  for (const [k, v] of Object.entries(body)) {
    if (k in sent || !(k in filled) || JSON.stringify(v) !== JSON.stringify(filled[k])) out[k] = v;
  }
  return out;
}

const SYSTEM: ReadonlySet<string> = new Set(SYSTEM_FIELDS);

/** Per field whose value the update changed, before and after (system fields left out). */
export function changes(module: Module, before: StoredRecord, after: StoredRecord): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const name of names) {
    if (SYSTEM.has(name) || (!module.fields.has(name) && !module.relations.has(name))) continue;
    if (JSON.stringify(before[name] ?? null) !== JSON.stringify(after[name] ?? null)) {
      out[name] = { before: before[name] ?? null, after: after[name] ?? null };
    }
  }
  return out;
}
