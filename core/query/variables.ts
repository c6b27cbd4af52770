import type { ModuleGraph } from '../schema/module.js';
import type { Condition, Operand, Scalar, Variable } from './ast.js';
import { FALSE } from './ast.js';
import { toStored } from './values.js';

/** What variables may refer to: the clock and the acting user's attributes. */
export interface VariableContext {
  readonly now: Date;
  /** `$user.<name>`: id, username, department, departmentCode, roles, … */
  readonly user: Readonly<Record<string, Scalar | readonly Scalar[] | undefined>>;
}

const RELATIVE = /^\$(now|today)(?:([+-])(\d{1,6})([mhdwMy]))?$/;
const USER = /^\$user\.([a-zA-Z][a-zA-Z0-9_]{0,62})$/;

/** Whether a filter string is a variable reference rather than a literal. */
export const isVariableName = (s: string) => RELATIVE.test(s) || USER.test(s);

export const isVariable = (v: unknown): v is Variable =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Variable).var === 'string';

/**
 * Replaces every variable with its value, converted for the column it is compared with. Pure.
 * A variable without a value (a user with no department) makes its comparison false: an
 * unknown value never matches, so a rule can not widen by accident.
 */
export function resolveVariables(cond: Condition, module: string, graph: ModuleGraph, ctx: VariableContext): Condition {
  switch (cond.kind) {
    case 'const':
      return cond;
    case 'and':
    case 'or':
      return { kind: cond.kind, items: cond.items.map((c) => resolveVariables(c, module, graph, ctx)) };
    case 'not':
      return { kind: 'not', item: resolveVariables(cond.item, module, graph, ctx) };
    case 'relation': {
      const owner = walk(graph, module, cond.refs);
      const target = graph.modules.get(owner)?.relations.get(cond.relation)?.target;
      if (!target) return FALSE;
      return { ...cond, where: resolveVariables(cond.where, target, graph, ctx) };
    }
    case 'compare': {
      if (!hasVariable(cond.value)) return cond;
      const field = graph.modules.get(walk(graph, module, cond.target.refs))?.fields.get(cond.target.field);
      if (!field) return FALSE;
      const resolve = (v: Scalar | Variable): Scalar | undefined => {
        if (!isVariable(v)) return v;
        const raw = variableValue(v.var, ctx);
        if (raw === undefined || raw === null || Array.isArray(raw)) return undefined;
        const stored = toStored(field, raw);
        return 'value' in stored ? stored.value : undefined;
      };
      if (Array.isArray(cond.value)) {
        const items: Scalar[] = [];
        for (const v of cond.value as readonly (Scalar | Variable)[]) {
          // `$user.roles` inside a list spreads into it.
          const raw = isVariable(v) ? variableValue(v.var, ctx) : undefined;
          if (Array.isArray(raw)) {
            for (const r of raw) {
              const s = toStored(field, r);
              if ('value' in s) items.push(s.value);
            }
            continue;
          }
          const r = resolve(v);
          if (r !== undefined) items.push(r);
        }
        // A range with an end that has no value (or a list where one end was) is no range.
        if (cond.op === 'between' && items.length !== 2) return FALSE;
        return { ...cond, value: items };
      }
      const direct = isVariable(cond.value) ? variableValue(cond.value.var, ctx) : undefined;
      if (Array.isArray(direct)) {
        // A list where one value was written (`{"salesman": "$user.roles"}`): eq/ne mean in/nin;
        // an order or text comparison with a list has no meaning, so it never matches.
        const op = cond.op === 'eq' || cond.op === 'in' ? 'in' : cond.op === 'ne' || cond.op === 'nin' ? 'nin' : undefined;
        if (!op) return FALSE;
        const items = direct.map((r) => toStored(field, r)).flatMap((s) => ('value' in s ? [s.value] : []));
        return { ...cond, op, value: items };
      }
      const value = resolve(cond.value as Scalar | Variable);
      return value === undefined ? FALSE : { ...cond, value };
    }
  }
}

function hasVariable(value: Operand): boolean {
  return Array.isArray(value) ? value.some(isVariable) : isVariable(value);
}

function walk(graph: ModuleGraph, module: string, refs: readonly string[]): string {
  let current = module;
  for (const r of refs) current = graph.modules.get(current)?.fields.get(r)?.ref ?? '';
  return current;
}

/** The value of one variable: `$now-30d` is a Date, `$today` a date string, `$user.x` the user's attribute. */
export function variableValue(name: string, ctx: VariableContext): Scalar | Date | readonly Scalar[] | undefined {
  const user = USER.exec(name);
  // Own attributes only: `$user.constructor` is not an attribute of the user.
  if (user) return Object.hasOwn(ctx.user, user[1]!) ? ctx.user[user[1]!] : undefined;
  const rel = RELATIVE.exec(name);
  if (!rel) return undefined;
  const [, base, sign, amount, unit] = rel;
  const d = new Date(ctx.now.getTime());
  if (base === 'today') d.setUTCHours(0, 0, 0, 0);
  if (sign) {
    const n = Number(amount) * (sign === '-' ? -1 : 1);
    switch (unit) {
      case 'm': d.setUTCMinutes(d.getUTCMinutes() + n); break;
      case 'h': d.setUTCHours(d.getUTCHours() + n); break;
      case 'd': d.setUTCDate(d.getUTCDate() + n); break;
      case 'w': d.setUTCDate(d.getUTCDate() + 7 * n); break;
      case 'M': addMonths(d, n); break;
      case 'y': addMonths(d, 12 * n); break;
    }
  }
  // Beyond what a Date holds (`$today-999999y`): no value, so the comparison never matches.
  if (Number.isNaN(d.getTime())) return undefined;
  return base === 'today' ? d.toISOString().slice(0, 10) : d;
}

/** Calendar months, clamped to the end of a shorter month: 31 March − 1 month is 28 February, not 3 March. */
function addMonths(d: Date, n: number): void {
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const end = new Date(d.getTime());
  end.setUTCMonth(end.getUTCMonth() + 1, 0);
  d.setUTCDate(Math.min(day, end.getUTCDate()));
}
