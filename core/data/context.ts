import type { Database } from '../db/database.js';
import type { Registry } from '../db/registry.js';
import { QueryCompiler } from '../query/compile.js';
import { WriteCompiler } from '../query/compile-write.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import { notFound } from '../errors.js';
import type { Access } from './access.js';
import type { WriteHooks } from './write-hooks.js';

/** Everything one request's data work needs: the database, the graph at this generation, the caller. */
export class DataContext {
  readonly compiler: QueryCompiler;
  readonly writer: WriteCompiler;

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

  module(name: string): Module {
    const module = /^[a-z][a-z0-9_]{0,62}$/.test(name) ? this.graph.modules.get(name) : undefined;
    if (!module) throw notFound(`Module "${name.slice(0, 64)}"`);
    return module;
  }
}
