import { badRequest, type ErrorDetail } from '../errors.js';
import type { Module, ModuleGraph } from '../schema/module.js';
import type { AggregateQuery, Condition, DateBucket, GroupTerm, Metric, MetricFn } from './ast.js';
import { DATE_BUCKETS, METRIC_FNS } from './ast.js';
import type { FieldAccess } from './field-access.js';
import { isDetail, resolvePath } from './resolve-path.js';

const CALL = /^([a-zA-Z]+)\(([^()]*)\)$/;
export const MAX_GROUPS = 10_000;

/**
 * Parses `groupBy=month(orderDate),salesman.department.code` and `metrics=count(),sum(amount)`.
 * The result keys are the expressions as written.
 */
export function parseAggregate(
  params: { groupBy?: string | undefined; metrics?: string | undefined; limit?: string | undefined },
  where: Condition,
  module: Module,
  graph: ModuleGraph,
  access: FieldAccess,
): AggregateQuery {
  const details: ErrorDetail[] = [];
  const groupBy: GroupTerm[] = [];
  for (const expr of split(params.groupBy)) {
    const call = CALL.exec(expr);
    const bucket = call?.[1] as DateBucket | undefined;
    if (call && !(DATE_BUCKETS as readonly string[]).includes(bucket!)) {
      details.push({ path: '/groupBy', message: `${expr}: unknown date bucket; use ${DATE_BUCKETS.join(', ')}` });
      continue;
    }
    const r = resolvePath(call ? call[2]!.trim() : expr, module, graph, access, '/groupBy');
    if (isDetail(r)) details.push({ ...r, message: `${expr}: ${r.message}` });
    else if (r.kind === 'field') {
      if (bucket && r.field.kind !== 'date' && r.field.kind !== 'datetime') {
        details.push({ path: '/groupBy', message: `${expr}: date buckets apply to date and date-time fields` });
      } else if (r.field.kind === 'json' || r.field.kind === 'text' || r.field.kind === 'file') {
        details.push({ path: '/groupBy', message: `${expr}: long text, JSON and file fields cannot be grouped` });
      } else groupBy.push({ name: expr, target: r.ref, ...(bucket ? { bucket } : {}) });
    }
  }
  const metrics: Metric[] = [];
  const metricExprs = split(params.metrics);
  for (const expr of metricExprs.length > 0 ? metricExprs : ['count()']) {
    const call = CALL.exec(expr);
    const fn = call?.[1] as MetricFn | undefined;
    if (!call || !(METRIC_FNS as readonly string[]).includes(fn!)) {
      details.push({ path: '/metrics', message: `${expr}: use ${METRIC_FNS.map((f) => `${f}(…)`).join(', ')}` });
      continue;
    }
    const arg = call[2]!.trim();
    if (fn === 'count') {
      if (arg !== '') details.push({ path: '/metrics', message: 'count() takes no field; use countDistinct(field)' });
      else metrics.push({ name: expr, fn });
      continue;
    }
    const r = resolvePath(arg, module, graph, access, '/metrics');
    if (isDetail(r)) details.push({ ...r, message: `${expr}: ${r.message}` });
    else if (r.kind === 'field') {
      const numeric = r.field.kind === 'integer' || r.field.kind === 'number';
      const ordered = numeric || ['date', 'datetime', 'string', 'enum'].includes(r.field.kind);
      if ((fn === 'sum' || fn === 'avg') && !numeric) details.push({ path: '/metrics', message: `${expr}: ${fn} needs a number field` });
      else if ((fn === 'min' || fn === 'max') && !ordered) details.push({ path: '/metrics', message: `${expr}: ${fn} needs a number, date or short text field` });
      else if (r.field.kind === 'json' || r.field.kind === 'text' || r.field.kind === 'file') details.push({ path: '/metrics', message: `${expr}: not on long text, JSON or files` });
      else metrics.push({ name: expr, fn: fn!, target: r.ref });
    }
  }
  if (groupBy.length > 5) details.push({ path: '/groupBy', message: 'group by at most 5 terms' });
  if (metrics.length > 20) details.push({ path: '/metrics', message: 'at most 20 metrics' });
  let limit = 1000;
  if (params.limit !== undefined) {
    limit = Number(params.limit);
    if (!/^\d{1,6}$/.test(params.limit) || limit < 1 || limit > MAX_GROUPS) {
      details.push({ path: '/limit', message: `must be a whole number from 1 to ${MAX_GROUPS}` });
    }
  }
  if (details.length > 0) throw badRequest('invalid_aggregate', 'The aggregate parameters are not valid; see details', details);
  return { module: module.name, where, groupBy, metrics, limit };
}

const split = (text: string | undefined) =>
  (text ?? '').split(/,(?![^(]*\))/).map((s) => s.trim()).filter(Boolean);
