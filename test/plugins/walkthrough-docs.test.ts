/**
 * docs/PLUGINS.md builds examples/library step by step, and every code block of it that names a
 * file (```ts title="examples/library/plugin.ts#install"```) is that file, or the region of it
 * marked `// #region install` … `// #endregion install`: the walkthrough cannot drift from code
 * that the library suites run. A block without a title is an illustration and is not compared.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPluginsDir } from '../../core/plugins/load-plugins.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = 'docs/PLUGINS.md';
const EXAMPLE = 'examples/library';
const doc = readFileSync(path.join(ROOT, DOC), 'utf8');

interface Block {
  file: string;
  region: string | undefined;
  text: string;
  line: number;
}

const blocks: Block[] = [...doc.matchAll(/^```[a-z]* title="([^"#]+)(?:#([a-z-]+))?"\n([\s\S]*?)^```$/gm)].map((m) => ({
  file: m[1]!,
  region: m[2],
  text: m[3]!.replace(/\n$/, ''),
  line: doc.slice(0, m.index).split('\n').length,
}));

const REGION_MARK = /^\s*\/\/ #(end)?region (\S+)\s*$/;

/** The lines between `// #region <name>` and `// #endregion <name>`, as they stand in the file. */
function region(text: string, name: string): string | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  return start < 0 || end < 0 ? undefined : lines.slice(start + 1, end).join('\n');
}

const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    return statSync(path.join(ROOT, rel)).isDirectory() ? filesUnder(rel) : [rel];
  });
}

describe('docs/PLUGINS.md, the walkthrough', () => {
  it('shows code blocks that name their file', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  for (const block of blocks) {
    it(`line ${block.line}: ${block.file}${block.region ? `#${block.region}` : ''} is the file as it is`, () => {
      expect(existsSync(path.join(ROOT, block.file)), `${block.file} does not exist`).toBe(true);
      const text = read(block.file);
      const expected = block.region === undefined ? text.replace(/\n$/, '') : region(text, block.region);
      expect(expected, `${block.file} has no region "${block.region}"`).toBeDefined();
      expect(block.text).toBe(expected);
    });
  }

  it('shows every file of the example, and every line of plugin.ts in the order of the file', () => {
    const shown = new Set(blocks.map((b) => b.file));
    expect(filesUnder(EXAMPLE).filter((f) => !shown.has(f))).toEqual([]);
    // The plugin is shown a region per step: together they are the whole file, step by step.
    const plugin = `${EXAMPLE}/plugin.ts`;
    const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !REGION_MARK.test(l));
    const regions = blocks.filter((b) => b.file === plugin && b.region !== undefined);
    expect(regions.flatMap((b) => lines(b.text))).toEqual(lines(read(plugin)));
  });

  it('links only to files that exist', () => {
    const links = [...doc.matchAll(/\]\(((?:\.\.\/|\.\/)?[A-Za-z][^)#\s]*)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !existsSync(path.resolve(ROOT, 'docs', l)))).toEqual([]);
  });

  it('step 8 holds: MODULES_DIR=examples loads the library, with its modules, from outside modules/', async () => {
    expect(doc).toContain('MODULES_DIR=examples');
    const plugins = await loadPluginsDir(path.join(ROOT, 'examples'));
    expect(plugins.map((p) => p.name)).toEqual(['library']);
    expect(readdirSync(plugins[0]!.metadataDir!).sort()).toEqual(['book.json', 'loan.json']);
  });

  it('types.ts states the fields book.json and loan.json define', () => {
    const types = read(`${EXAMPLE}/types.ts`);
    for (const [module, name] of [['book', 'Book'], ['loan', 'Loan']] as const) {
      const definition = JSON.parse(read(`${EXAMPLE}/metadata/${module}.json`)) as { properties: Record<string, unknown>; required: string[] };
      const body = new RegExp(`export interface ${name} extends SystemFields \\{([^}]*)\\}`).exec(types)![1]!;
      const declared = Object.fromEntries([...body.matchAll(/^\s*(\w+): ([^;]+);/gm)].map((m) => [m[1]!, m[2]!]));
      expect(Object.keys(declared).sort()).toEqual(Object.keys(definition.properties).sort());
      // Required fields are never null in a record; the others may be.
      for (const [field, type] of Object.entries(declared)) expect(type.endsWith('| null'), `${name}.${field}`).toBe(!definition.required.includes(field));
    }
  });
});
