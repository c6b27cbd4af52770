/**
 * The migrations folder: every applied plan as a file, `<yyyymmddhhmmss>-<module>-<change id>.json`,
 * holding its change log record (the definitions before and after, the x-migration, the measured
 * steps, who and when). The files are for review and version control, and `npm run schema --
 * apply <file>` replays one on another database (core/migrate/replay-plan.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppliedHook } from './applied-hooks.js';
import type { ChangeRecord } from './change-log.js';

/** The repository's migrations/, which the server and the schema command write to unless MIGRATIONS_DIR says otherwise. */
export const DEFAULT_MIGRATIONS_DIR = path.resolve(fileURLToPath(new URL('../../migrations/', import.meta.url)));

/** The folder of MIGRATIONS_DIR: the repository's by default, none when it is set empty. */
export function migrationsDirOf(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const dir = env.MIGRATIONS_DIR ?? DEFAULT_MIGRATIONS_DIR;
  return dir.trim() === '' ? undefined : path.resolve(dir);
}

/** `20260102030405-contact-12.json`: sorted by name, the files are in the order they were applied on one database. */
export function migrationFileName(record: Pick<ChangeRecord, 'at' | 'module' | 'id'>): string {
  const stamp = record.at.replace(/\D/g, '').slice(0, 14);
  return `${stamp}-${record.module}-${record.id}.json`;
}

/** The hook that writes each applied plan into `dir` (created when missing). */
export function writeMigrationFiles(dir: string): AppliedHook {
  return async (record) => {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, migrationFileName(record)), `${JSON.stringify(record, null, 2)}\n`);
  };
}
