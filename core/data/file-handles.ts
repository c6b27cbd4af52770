/**
 * A create or update that sets a file field names an upload by its id. The engine accepts only an
 * upload of the caller's own, or the file the field already holds (a form sends the record back
 * unchanged): nobody attaches another user's upload by guessing or copying its id. The handle is
 * then rewritten from the stored upload, so a record never holds a name or size the client made up.
 */
import type { Transaction } from 'sequelize';
import { compare } from '../query/ast.js';
import { invalidInput, type ErrorDetail } from '../errors.js';
import type { FileHandle } from '../schema/file-handle.js';
import type { Field, Module } from '../schema/module.js';
import type { DataContext } from './context.js';
import { decodeValue } from './decode.js';
import { visibleWhere } from './visible.js';
import { pointerSegment } from '../schema/finding.js';
import { findFiles, markAttached } from '../files/stored-files.js';

type Payload = Record<string, unknown>;

const fileFields = (module: Module, body: Payload): Field[] =>
  [...module.fields.values()].filter((f) => f.kind === 'file' && body[f.name] !== null && body[f.name] !== undefined);

/** The payload with each file handle checked and made canonical; 400 with the field's pointer otherwise. */
export async function withFileHandles(ctx: DataContext, module: Module, body: Payload, id?: number): Promise<Payload> {
  const fields = fileFields(module, body);
  if (fields.length === 0) return body;
  const idOf = (f: Field) => (body[f.name] as { id: string }).id;
  const stored = await findFiles(ctx.db, [...new Set(fields.map(idOf))]);
  const current = id === undefined ? {} : await currentFiles(ctx, module, id, fields);
  const out: Payload = { ...body };
  const details: ErrorDetail[] = [];
  for (const f of fields) {
    const file = stored.get(idOf(f));
    // One answer for "no such upload" and "someone else's": an id is no way to learn of a file.
    if (!file || (file.createdBy !== ctx.access.actor.id && current[f.name] !== file.id)) {
      details.push({ path: `/${pointerSegment(f.name)}`, message: 'names no file you uploaded (upload it with POST /api/files; an upload no record takes is deleted after a day)', code: 'file_unknown' });
      continue;
    }
    out[f.name] = { id: file.id, name: file.name, type: file.type, size: file.size } satisfies FileHandle;
  }
  if (details.length > 0) throw invalidInput(details);
  return out;
}

/** The file ids the record holds now, read as the caller may update it (nothing when they may not). */
async function currentFiles(ctx: DataContext, module: Module, id: number, fields: readonly Field[]): Promise<Record<string, string>> {
  const rows = await ctx.db.all(ctx.compiler.select({
    module: module.name,
    where: visibleWhere(module, 'update', compare('id', 'eq', id), ctx.access, ctx.graph),
    columns: fields.map((f) => ({ refs: [], field: f.name })),
    orderBy: [],
    limit: 1,
  }));
  const out: Record<string, string> = {};
  for (const f of fields) {
    const handle = rows[0] ? (decodeValue(f, rows[0][f.name]) as FileHandle | null) : null;
    if (handle && typeof handle.id === 'string') out[f.name] = handle.id;
  }
  return out;
}

/** In the write's transaction: marks the record's files as taken; refuses when one was swept meanwhile. */
export async function attachFiles(ctx: DataContext, module: Module, body: Payload, tx: Transaction): Promise<void> {
  const fields = fileFields(module, body);
  const missing = new Set(await markAttached(ctx.db, fields.map((f) => (body[f.name] as FileHandle).id), tx));
  const details = fields.filter((f) => missing.has((body[f.name] as FileHandle).id)).map((f): ErrorDetail => ({
    path: `/${pointerSegment(f.name)}`, message: 'names a file that is no longer kept; upload it again', code: 'file_unknown',
  }));
  if (details.length > 0) throw invalidInput(details);
}
