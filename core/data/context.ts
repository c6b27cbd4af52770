import type { Database } from '../db/database.js';
import type { Compiled } from '../query/ast.js';
import { IDENTITY_COLUMN, withIdentityCheck } from '../auth/identity-check.js';
import { answeredAgain, type PendingIdentity } from '../auth/identity-hint.js';
import type { Registry } from '../db/registry.js';
import { QueryCompiler } from '../query/compile.js';
import { WriteCompiler } from '../query/compile-write.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import { notFound } from '../errors.js';
import type { Access } from '../rules/access.js';
import type { WriteHooks } from './write-hooks.js';

/** Everything one request's data work needs: the database, the graph at this generation, the caller. */
export class DataContext {
  readonly compiler: QueryCompiler;
  readonly writer: WriteCompiler;
  /**
   * Set when the caller's identity is a guess the database has yet to confirm (GET reads only;
   * core/api/session.ts confirms it after the route if no read did).
   */
  pending?: PendingIdentity;
  /**
   * With `pending`: authenticates fully now, setting `pending.confirmed`, or throws when the guess
   * does not hold (the request is then answered again). Set by the session middleware.
   */
  confirmIdentity?: () => Promise<void>;

  constructor(
    readonly db: Database,
    readonly registry: Registry,
    readonly graph: ModuleGraph,
    readonly access: Access,
    /** The enabled plugins' hooks at this generation; none outside requests (install, bulk loads). */
    readonly hooks?: WriteHooks,
    /** The caller's session (not with an API token): a password change keeps it and ends the others. */
    readonly sessionId?: string,
  ) {
    this.compiler = new QueryCompiler(graph, db.dialect);
    this.writer = new WriteCompiler(this.compiler, db.dialect);
  }

  /**
   * A read that, while the caller's identity is unconfirmed, confirms it in the same statement:
   * one round trip for both. The rows come back without the extra column either way; whether the
   * identity held is left on `pending` for the session middleware to act on.
   */
  async readConfirming(select: Compiled): Promise<Record<string, unknown>[]> {
    const pending = this.pending;
    if (!pending || pending.confirmed) return this.db.all(select);
    const rows = await this.db.all(withIdentityCheck(this.db, select, pending));
    if (rows.length > 0 && Number(rows[0]![IDENTITY_COLUMN]) === 1) pending.confirmed = true;
    for (const row of rows) delete row[IDENTITY_COLUMN];
    return rows;
  }

  /** Before work that must not run on a guess (a plugin's before hook): the identity confirmed first. */
  async confirmed(): Promise<void> {
    const pending = this.pending;
    if (!pending || pending.confirmed) return;
    if (!this.confirmIdentity) throw answeredAgain(pending);
    await this.confirmIdentity();
  }

  module(name: string): Module {
    const module = /^[a-z][a-z0-9_]{0,62}$/.test(name) ? this.graph.modules.get(name) : undefined;
    if (!module) throw notFound(`Module "${name.slice(0, 64)}"`);
    return module;
  }
}
