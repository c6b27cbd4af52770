import path from 'node:path';

/**
 * Where this server keeps its files (API.md "Running it"): `DATA_DIR`, by default `./data`, as
 * an absolute path. The embedded SQLite database lives there, and so do uploads; plugins that
 * store files ask here rather than read the variable themselves, so both agree on the default.
 */
export function dataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(env.DATA_DIR ?? './data');
}
