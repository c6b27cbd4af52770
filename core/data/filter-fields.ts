import type { Condition, FieldRef } from '../query/ast.js';
import { forbidden } from '../errors.js';
import type { Module } from '../schema/module.js';
import type { Access } from '../rules/access.js';

/**
 * A permission may allow listing a module "only filtered by source and status". Every
 * field the caller's own filter, search, sort or grouping starts from must be one of those.
 */
export function checkFilterFields(access: Access, module: Module, cond: Condition, others: readonly FieldRef[] = []): void {
  const allowed = access.filterable?.(module);
  if (!allowed) return;
  const used = new Set<string>();
  collect(cond, used);
  for (const ref of others) used.add(ref.refs[0] ?? ref.field);
  used.delete('id');
  const refused = [...used].filter((f) => !allowed.has(f));
  if (refused.length > 0) {
    throw forbidden(
      `${module.name}:read`,
      `You may list ${module.name} filtered only by ${[...allowed].join(', ') || 'nothing'}; not by ${refused.join(', ')}`,
    );
  }
}

function collect(cond: Condition, out: Set<string>) {
  switch (cond.kind) {
    case 'and':
    case 'or':
      cond.items.forEach((c) => collect(c, out));
      break;
    case 'not':
      collect(cond.item, out);
      break;
    case 'compare':
      out.add(cond.target.refs[0] ?? cond.target.field);
      break;
    case 'relation':
      out.add(cond.refs[0] ?? cond.relation);
      break;
    case 'const':
      break;
  }
}
