import { loadActor } from '../../core/auth/actor.js';
import { adminAccess } from '../../core/rules/access.js';
import { DataContext } from '../../core/data/context.js';
import { createRecord, updateRecord } from '../../core/data/write-records.js';
import type { Stratum } from '../../core/stratum.js';

type Payload = Record<string, unknown>;

/**
 * Writes records as the built-in admin through the engine's own create and update: validation,
 * references, the maintained department column (`_scope`) and counts all stay as a request would
 * leave them.
 */
export class EngineWriter {
  private constructor(private readonly ctx: DataContext) {}

  static async open(stratum: Stratum): Promise<EngineWriter> {
    const q = (s: string) => stratum.db.quote(s);
    const rows = await stratum.db.all({ sql: `SELECT ${q('id')} AS id FROM ${q('user')} WHERE ${q('username')} = $1`, params: ['admin'] });
    const actor = rows[0] ? await loadActor(stratum.db, Number(rows[0].id)) : undefined;
    if (!actor?.isAdmin) throw new Error('Records are written as the built-in admin, and there is no active "admin" account with the admin role');
    return new EngineWriter(new DataContext(stratum.db, stratum.registry, await stratum.registry.graph(), adminAccess(actor)));
  }

  /** Creates one record; its id. */
  async create(module: string, payload: Payload): Promise<number> {
    const record = await createRecord(this.ctx, this.ctx.module(module), payload);
    return Number(record.id);
  }

  async update(module: string, id: number, payload: Payload): Promise<void> {
    await updateRecord(this.ctx, this.ctx.module(module), id, payload);
  }
}
