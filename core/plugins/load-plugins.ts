/**
 * Finds plugins in `modules/<name>/plugin.ts` (default export: `definePlugin(…)`) and registers
 * what the module graph needs before any definition is read: their field types.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registerFieldType } from '../schema/field-types.js';
import type { Plugin } from './define-plugin.js';

export const DEFAULT_MODULES_DIR = path.resolve(fileURLToPath(new URL('../../modules/', import.meta.url)));
const ENTRY_FILES = ['plugin.ts', 'plugin.js'];

/** Every `<dir>/<name>/plugin.ts`, in name order; a missing directory holds none. */
export async function loadPluginsDir(dir: string, skip: readonly string[] = []): Promise<Plugin[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const plugins: Plugin[] = [];
  for (const name of names.filter((n) => !skip.includes(n)).sort()) {
    const plugin = await loadPluginFolder(path.join(dir, name));
    if (plugin) plugins.push(plugin);
  }
  return plugins;
}

/** The plugin of one folder (`<folder>/plugin.ts`, its definitions in `<folder>/metadata`); undefined when it has none. */
export async function loadPluginFolder(folder: string): Promise<Plugin | undefined> {
  const name = path.basename(folder);
  const entry = ENTRY_FILES.map((f) => path.join(folder, f)).find((f) => existsSync(f));
  if (!entry) return undefined; // a folder without plugin.ts is not a plugin (notes, shared code)
  const exported = (await import(pathToFileURL(entry).href)).default as Plugin | undefined;
  if (!exported || typeof exported !== 'object' || typeof exported.definition !== 'object') {
    throw new Error(`${entry}: export the plugin as default: export default definePlugin({ … })`);
  }
  if (exported.name !== name) throw new Error(`${entry}: the plugin is named "${exported.name}" but lives in modules/${name}/; use the folder name`);
  const metadata = path.join(folder, 'metadata');
  return exported.metadataDir === undefined && existsSync(metadata) ? { ...exported, metadataDir: metadata } : exported;
}

/** Field types go into the process-wide registry that definitions are checked and built with. */
export function registerFieldTypes(plugins: readonly Plugin[]): void {
  for (const plugin of plugins) {
    for (const [name, type] of Object.entries(plugin.definition.fieldTypes ?? {})) registerFieldType(name, type, `plugin ${plugin.name}`);
  }
}
