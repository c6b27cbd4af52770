/**
 * What a rename or a drop touches in the other definitions, as the plan's `affects` say it: the
 * references and inverse relations that name the module or field, the scope paths through it,
 * and the counts and history kept under the module's name.
 */
import type { Affect } from './change-plan.js';
import type { JsonSchema } from './module.js';

/** Whether `def` refers to `module` (a reference or a list of its records). */
export function referencesModule(def: JsonSchema, module: string): boolean {
  if (def.$id === module) return false;
  return Object.values((def.properties ?? {}) as Record<string, JsonSchema>).some((p) => p['x-ref'] === module || (typeof p['x-inverse'] === 'string' && p['x-inverse'].split('.')[0] === module));
}

export function moduleNameAffects(module: string, others: readonly JsonSchema[]): Affect[] {
  const out: Affect[] = others.filter((o) => referencesModule(o, module)).map((o) => ({ kind: 'reference' as const, module: String(o.$id), message: `"${String(o.$id)}" refers to "${module}"` }));
  out.push({ kind: 'counts', module, message: 'the maintained record counts' });
  out.push({ kind: 'history', module, message: 'the history of its records' });
  return out;
}

export function fieldNameAffects(module: string, field: string, others: readonly JsonSchema[]): Affect[] {
  const out: Affect[] = [];
  for (const o of others) {
    for (const [prop, p] of Object.entries((o.properties ?? {}) as Record<string, JsonSchema>)) {
      if (p['x-inverse'] === `${module}.${field}`) out.push({ kind: 'reference', module: String(o.$id), field: prop, message: `"${String(o.$id)}.${prop}" lists "${module}" records by "${field}"` });
    }
    for (const [base, path] of Object.entries((o['x-scope-paths'] ?? {}) as Record<string, string>)) {
      if (path.split('.').includes(field)) out.push({ kind: 'scope_path', module: String(o.$id), message: `the scope path of "${String(o.$id)}" to "${base}" (${path}) may pass through "${field}"` });
    }
  }
  return out;
}
