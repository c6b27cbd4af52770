/**
 * Uploaded files under DATA_DIR (API.md "Running it"): `uploads/<area>/<32 random hex>.<ext>`.
 * The name is random so that it says nothing and cannot be guessed, and records keep only that
 * relative path. Nothing here serves a file: routes decide who may read one, through the records
 * that name it, and open it only by a path of exactly this shape, so that a path typed into a
 * record ("../crm.sqlite") never reaches the disk.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '../../../core/plugins/define-plugin.js';
import { kindByExt, type FileKind } from './file-kinds.js';

export type Area = 'id-documents' | 'homework';

const STORED = /^uploads\/(id-documents|homework)\/([0-9a-f]{32})\.([a-z]{3})$/;

/** Writes the bytes under a new random name; the path to keep in the record, relative to DATA_DIR. */
export async function storeFile(area: Area, bytes: Uint8Array, kind: FileKind): Promise<string> {
  const relative = `uploads/${area}/${randomBytes(16).toString('hex')}.${kind.ext}`;
  const full = path.join(dataDir(), relative);
  await mkdir(path.dirname(full), { recursive: true, mode: 0o700 });
  // 'wx': never overwrite; owner-only, as the database file next to it.
  const handle = await open(full, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
  return relative;
}

/** The file a record names, if it is a stored upload of `area` that still exists. */
export async function storedFile(area: Area, relative: string | null | undefined): Promise<{ path: string; kind: FileKind; size: number } | undefined> {
  const m = relative ? STORED.exec(relative) : null;
  const kind = m && m[1] === area ? kindByExt(m[3]!) : undefined;
  if (!kind) return undefined;
  const full = path.join(dataDir(), relative!);
  const info = await stat(full).catch(() => undefined);
  return info?.isFile() ? { path: full, kind, size: info.size } : undefined;
}

export async function readStoredFile(area: Area, relative: string | null | undefined): Promise<{ bytes: Buffer; kind: FileKind } | undefined> {
  const found = await storedFile(area, relative);
  return found ? { bytes: await readFile(found.path), kind: found.kind } : undefined;
}

/** Removes a file whose record was never written (the transaction that would have named it failed). */
export async function discardFile(relative: string): Promise<void> {
  if (STORED.test(relative)) await rm(path.join(dataDir(), relative), { force: true });
}
