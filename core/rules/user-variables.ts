import type { Condition, Scalar } from '../query/ast.js';
import { isVariable } from '../query/variables.js';
import type { Grants } from './grants.js';

/** What `$user.<name>` means for a user: the attributes rules may refer to. */
export function userVariables(grants: Grants): Record<string, Scalar | readonly Scalar[]> {
  return {
    ...grants.variables,
    id: grants.userId,
    username: grants.username,
    department: grants.department?.id ?? null,
    departmentCode: grants.department?.code ?? null,
    roles: grants.roleIds,
  };
}

/**
 * The `$user.*` variables of a condition that have no value for this user. A rule that needs
 * one must deny as a whole: turned into a false comparison inside a `not`, it would widen.
 */
export function missingUserVariables(cond: Condition, values: Readonly<Record<string, unknown>>): string[] {
  const missing = new Set<string>();
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        c.items.forEach(visit);
        break;
      case 'not':
        visit(c.item);
        break;
      case 'relation':
        visit(c.where);
        break;
      case 'compare':
        for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
          if (!isVariable(v) || !v.var.startsWith('$user.')) continue;
          const name = v.var.slice('$user.'.length);
          const value = Object.hasOwn(values, name) ? values[name] : undefined;
          if (value === null || value === undefined) missing.add(v.var);
        }
        break;
      case 'const':
        break;
    }
  };
  visit(cond);
  return [...missing];
}
