/**
 * Reading and writing `_stratum_files`. Nothing here decides who may see a file: the only way out
 * for the bytes is the download route, which reads the record holding the file first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { Database } from '../db/database.js';
import { storedDateTime } from '../query/values.js';
import type { FileHandle } from '../schema/file-handle.js';
import { FILES_TABLE } from './files-table.js';
import { UNATTACHED_TTL_MS } from './limits.js';

export interface StoredFile extends FileHandle {
  readonly createdBy: number;
}

/** Keeps an upload of `createdBy`; its handle. Uploads nobody took for a day are swept first. */
export async function saveFile(db: Database, file: { bytes: Uint8Array; name: string; type: string; createdBy: number }): Promise<FileHandle> {
  const q = (s: string) => db.quote(s);
  const now = new Date();
  await db.delete({
    sql: `DELETE FROM ${q(FILES_TABLE)} WHERE ${q('attachedAt')} IS NULL AND ${q('createdAt')} < $1`,
    params: [storedDateTime(new Date(now.getTime() - UNATTACHED_TTL_MS))],
  });
  const handle: FileHandle = { id: randomBytes(16).toString('hex'), name: file.name, type: file.type, size: file.bytes.byteLength };
  const columns = ['id', 'sha256', 'name', 'type', 'size', 'createdBy', 'createdAt', 'data'];
  await db.insert({
    sql: `INSERT INTO ${q(FILES_TABLE)} (${columns.map(q).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    params: [handle.id, createHash('sha256').update(file.bytes).digest('hex'), handle.name, handle.type, handle.size, file.createdBy, storedDateTime(now), Buffer.from(file.bytes)],
  });
  return handle;
}

/** The stored files among `ids` (without their bytes), by id. */
export async function findFiles(db: Database, ids: readonly string[], tx?: Transaction): Promise<Map<string, StoredFile>> {
  if (ids.length === 0) return new Map();
  const q = (s: string) => db.quote(s);
  const rows = await db.all({
    sql: `SELECT ${['id', 'name', 'type', 'size', 'createdBy'].map(q).join(', ')} FROM ${q(FILES_TABLE)} WHERE ${q('id')} IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
    params: [...ids],
  }, tx);
  return new Map(rows.map((r) => [String(r.id), { id: String(r.id), name: String(r.name), type: String(r.type), size: Number(r.size), createdBy: Number(r.createdBy) }]));
}

/** The bytes of one file, or undefined when it is gone. */
export async function fileBytes(db: Database, id: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const q = (s: string) => db.quote(s);
  const rows = await db.all({ sql: `SELECT ${q('data')} AS ${q('data')} FROM ${q(FILES_TABLE)} WHERE ${q('id')} = $1`, params: [id] });
  const data = rows[0]?.data;
  if (data === undefined || data === null) return undefined;
  return data instanceof Uint8Array ? new Uint8Array(data) : undefined;
}

/**
 * In the write's transaction: the files a record now holds are kept from the sweep. Returns the
 * ids that are no longer there (swept between the check and the write), for the write to refuse.
 */
export async function markAttached(db: Database, ids: readonly string[], tx: Transaction): Promise<string[]> {
  if (ids.length === 0) return [];
  const q = (s: string) => db.quote(s);
  const list = ids.map((_, i) => `$${i + 2}`).join(', ');
  await db.update({
    sql: `UPDATE ${q(FILES_TABLE)} SET ${q('attachedAt')} = $1 WHERE ${q('attachedAt')} IS NULL AND ${q('id')} IN (${list})`,
    params: [storedDateTime(new Date()), ...ids],
  }, tx);
  const found = await findFiles(db, ids, tx);
  return ids.filter((id) => !found.has(id));
}
