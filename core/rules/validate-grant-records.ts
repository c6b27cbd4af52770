import type { ErrorDetail } from '../errors.js';
import { readAll } from '../query/field-access.js';
import { parseFilter } from '../query/parse-filter.js';
import type { Module, ModuleGraph } from '../schema/module.js';

/**
 * Checks `rule` and `permission` records against the module graph before they are written: the
 * module exists, a rule's filter compiles on it, listed fields exist. An admin learns of a typo
 * at once (400 with a pointer) instead of through a rule that silently denies.
 * `record` is the record as it will be after the write (stored values merged with the payload).
 */
export function grantRecordErrors(module: Module, record: Record<string, unknown>, graph: ModuleGraph): ErrorDetail[] {
  if (!module.builtin || (module.name !== 'rule' && module.name !== 'permission')) return [];
  const target = typeof record.module === 'string' ? graph.modules.get(record.module) : undefined;
  if (!target) {
    return [{ path: '/module', code: 'unknown_module', message: `no module "${String(record.module)}"; known: ${[...graph.modules.keys()].join(', ')}` }];
  }
  const details: ErrorDetail[] = [];
  if (module.name === 'rule') {
    try {
      parseFilter(record.filter ?? {}, target, graph, readAll, '/filter');
    } catch (e) {
      details.push(...((e as { details?: ErrorDetail[] }).details ?? [{ path: '/filter', message: String(e) }]));
    }
  } else {
    for (const key of ['filterFields', 'readFields', 'writeFields'] as const) {
      const list = record[key];
      if (!Array.isArray(list)) continue;
      list.forEach((name, i) => {
        if (!target.fields.has(String(name)) && !target.relations.has(String(name))) {
          details.push({ path: `/${key}/${i}`, code: 'unknown_field', message: `${target.name} has no field "${String(name)}"` });
        }
      });
    }
  }
  return details;
}
