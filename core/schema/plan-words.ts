/**
 * A measured plan in words, a line per step, for `npm run schema` (the API answers the plan
 * itself; the admin UI words it from the step kinds, in the user's language).
 */
import type { Plan, PlanStep } from './change-plan.js';

/** The lines of `plan`, indented under a heading the caller writes. */
export function planLines(plan: Plan): string[] {
  const lines: string[] = [];
  for (const step of plan.steps) {
    lines.push(`  - ${step.message}${measured(step)}`);
    for (const affect of step.affects) if (affect.kind !== 'counts' && affect.kind !== 'history') lines.push(`      also ${affect.message}`);
  }
  for (const b of plan.blockers) lines.push(`  ! ${b.message}${b.hint ? ` (${b.hint})` : ''}`);
  return lines;
}

/** The rows a step touches, the values that do not fit, and whether data is lost. */
function measured(step: PlanStep): string {
  const loses = !step.keepsData && step.rows > 0 ? '; loses data' : '';
  if (step.misfits > 0) {
    const example = step.examples[0];
    const what = step.onMisfit === 'null' ? 'emptied' : step.onMisfit === 'default' ? 'set to the default' : 'refused';
    return `: ${step.misfits} of ${step.rows} rows do not fit (${what}${loses})${example ? `, e.g. record ${example.id}: ${example.reason}` : ''}`;
  }
  return step.rows > 0 && step.kind !== 'describe' ? ` (${step.rows} row${step.rows === 1 ? '' : 's'}${loses})` : '';
}
