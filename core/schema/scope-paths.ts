import type { Module, ModuleGraph } from './module.js';

export type ScopePath =
  | { readonly ok: true; readonly refs: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/**
 * How module `from` reaches base module `base` for visibility (API.md, rule 4): through
 * many-to-one references that do not say `"x-scope": false`, as named in `from`'s
 * `x-scope-paths`, or else the shortest path when it is unique. `createdBy`/`updatedBy` are not
 * references, so they never carry restrictions. Several shortest paths, or a named path that does
 * not lead to `base`, cannot be decided: the caller fails closed.
 */
export function scopePath(graph: ModuleGraph, from: Module, base: string): ScopePath | undefined {
  if (from.name === base) return { ok: true, refs: [] };
  const named = from.scopePaths[base];
  if (named !== undefined) return namedPath(graph, from, base, named);
  // Breadth-first, level by level, counting how many shortest paths reach `base`.
  let frontier: { module: Module; refs: string[] }[] = [{ module: from, refs: [] }];
  const seen = new Set([from.name]);
  for (let depth = 0; depth < 12 && frontier.length > 0; depth++) {
    const next: { module: Module; refs: string[] }[] = [];
    const hits: string[][] = [];
    const reachedThisLevel = new Set<string>();
    for (const { module, refs } of frontier) {
      for (const field of module.fields.values()) {
        if (field.kind !== 'ref' || field.scope === false) continue;
        const target = graph.modules.get(field.ref!);
        if (!target) continue;
        const path = [...refs, field.name];
        if (target.name === base) hits.push(path);
        else if (!seen.has(target.name)) {
          reachedThisLevel.add(target.name);
          next.push({ module: target, refs: path });
        }
      }
    }
    if (hits.length === 1) return { ok: true, refs: hits[0]! };
    if (hits.length > 1) {
      return { ok: false, reason: `${from.name} reaches ${base} by several paths (${hits.map((h) => h.join('.')).join(', ')}); name one in "x-scope-paths"` };
    }
    for (const name of reachedThisLevel) seen.add(name);
    frontier = next;
  }
  return undefined;
}

function namedPath(graph: ModuleGraph, from: Module, base: string, path: string): ScopePath {
  // `cat.id` names the same record as `cat`: the reference already is the base's id.
  const refs = path === '' ? [] : path.replace(/\.id$/, '').split('.');
  let current = from;
  for (const name of refs) {
    const field = current.fields.get(name);
    if (!field || field.kind !== 'ref') return { ok: false, reason: `x-scope-paths.${base} = "${path}": ${current.name}.${name} is not a reference` };
    current = graph.modules.get(field.ref!)!;
  }
  if (current.name !== base) return { ok: false, reason: `x-scope-paths.${base} = "${path}" ends at ${current.name}, not ${base}` };
  return { ok: true, refs };
}

/** Every module `from` reaches through scope-carrying references (itself included). */
export function reachableBases(graph: ModuleGraph, from: Module): string[] {
  const seen = new Set([from.name]);
  const queue = [from];
  while (queue.length > 0) {
    const m = queue.shift()!;
    for (const f of m.fields.values()) {
      if (f.kind !== 'ref' || f.scope === false || seen.has(f.ref!)) continue;
      const target = graph.modules.get(f.ref!);
      if (!target) continue;
      seen.add(target.name);
      queue.push(target);
    }
  }
  // Named paths may go through references marked x-scope: false on purpose.
  for (const base of Object.keys(from.scopePaths)) seen.add(base);
  return [...seen];
}
