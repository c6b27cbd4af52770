/**
 * Reads module definitions from a directory tree (`metadata/<app>/<module>.json`) and checks them
 * together, so that a ref from one app to another resolves and a name clash across apps shows.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkDefinitions } from './check-definitions.js';
import type { Finding } from './finding.js';

export interface LoadedMetadata {
  /** The parsed definitions, in file order; use them only when `findings` is empty. */
  readonly definitions: object[];
  readonly findings: Finding[];
}

/**
 * Loads `dir/**\/*.json` in sorted path order; a missing directory holds no definitions.
 * Each finding's message starts with the file it is about.
 */
export async function loadMetadataDir(
  dir: string,
  opts: { existing?: ReadonlyMap<string, unknown>; skipApps?: readonly string[] } = {},
): Promise<LoadedMetadata> {
  const findings: Finding[] = [];
  const parsed: unknown[] = [];
  const sources: string[] = [];
  const skipped = (file: string) => (opts.skipApps ?? []).includes(file.split(/[\\/]/)[0]!);
  for (const file of (await jsonFiles(dir)).filter((f) => !skipped(f))) {
    const path = join(dir, file);
    try {
      parsed.push(JSON.parse(await readFile(path, 'utf8')));
      sources.push(path);
    } catch (err) {
      findings.push({
        code: 'file_unparsable',
        pointer: '',
        module: path,
        message: `${path}: ${err instanceof Error ? err.message : String(err)}`,
        hint: 'fix the JSON syntax (a trailing comma or a missing quote is the usual cause)',
      });
    }
  }
  findings.push(...checkDefinitions(parsed, { ...opts, sources }));
  const definitions = parsed.filter((d): d is object => typeof d === 'object' && d !== null);
  return { definitions, findings };
}

async function jsonFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  // Plain code-unit order, not localeCompare: the same on every machine and locale.
  return entries.filter((f) => f.endsWith('.json')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
