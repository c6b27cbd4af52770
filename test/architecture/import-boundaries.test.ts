/**
 * The import boundaries, checked on every run, so that a new import across one fails here:
 * - core/ and the generic ui/ import nothing from an app (modules/, examples/): an app is a
 *   plugin on the framework, never the other way round;
 * - an app reaches the framework only through its public surfaces: definePlugin (and what it
 *   re-exports), the generated record types, and the UI's plugin SDK;
 * - the browser code (ui/, core/client) runs no server code: from the rest of core it imports types only;
 * - the layers of core/ (./layers.ts) are imported bottom up only, and no files import each other
 *   in a circle. The imports that still go against this are listed here, each by name, so the
 *   list can only shrink: a new one fails, and one that goes away must be struck off.
 */
import { describe, expect, it } from 'vitest';
import { importsOf, type Import } from './imports.js';
import { layerOf } from './layers.js';

const all = importsOf(['core', 'ui', 'modules', 'examples']);
const edge = (i: Import) => `${i.from} -> ${i.to}`;

/** What an app may import from the framework. */
const PUBLIC_SURFACES = [
  'core/plugins/define-plugin.ts',
  'core/errors.ts',
  'core/generated/modules.ts',
  'ui/plugin-sdk.ts',
];

/**
 * Imports against the layers that are still there, by name. The API's request context carries the
 * Stratum it serves (a type only): the HTTP layer is handed the app that composes it.
 */
const UPWARD_STILL: readonly string[] = ['core/api/env.ts -> core/stratum.ts'];

/** Circles of imports that are still there, each as its files in order. */
const CIRCLES_STILL: readonly string[] = [];

describe('import boundaries', () => {
  it('core/ and ui/ import nothing from an app', () => {
    expect(all.filter((i) => /^(core|ui)\//.test(i.from) && /^(modules|examples)\//.test(i.to)).map(edge)).toEqual([]);
  });

  it('an app imports the framework only through its public surfaces', () => {
    const fromApps = all.filter((i) => /^(modules|examples)\//.test(i.from) && /^(core|ui)\//.test(i.to));
    expect(fromApps.filter((i) => !PUBLIC_SURFACES.includes(i.to)).map(edge)).toEqual([]);
  });

  it('the browser code imports only types from the server', () => {
    const browser = (file: string) => file.startsWith('ui/') || file.startsWith('core/client/');
    expect(all.filter((i) => browser(i.from) && i.to.startsWith('core/') && !browser(i.to) && !i.typeOnly).map(edge)).toEqual([]);
  });

  it('the layers of core/ are imported bottom up', () => {
    const upward = all.filter((i) => {
      const from = layerOf(i.from);
      const to = layerOf(i.to);
      return from && to && to.rank > from.rank;
    });
    expect(upward.map(edge).sort()).toEqual([...UPWARD_STILL].sort());
  });

  it('no files import each other in a circle', () => {
    expect(circles(all.filter((i) => !i.typeOnly)).sort()).toEqual([...CIRCLES_STILL].sort());
  });
});

/** The strongly connected groups of more than one file (Tarjan), each as its sorted files joined by ' ~ '. */
function circles(imports: readonly Import[]): string[] {
  const next = new Map<string, string[]>();
  for (const i of imports) next.set(i.from, [...(next.get(i.from) ?? []), i.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) out.push(group.sort().join(' ~ '));
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}
