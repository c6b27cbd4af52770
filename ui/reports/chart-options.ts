/**
 * What a module can be charted by, from its metadata alone, so it works for modules an admin
 * creates at runtime: group by a choice field (enum, boolean, reference) or a date bucketed by
 * month or year, measure a count or the sum or average of a number field. The state lives in the
 * URL like the list's (`?by=since&bucket=month&metric=sum:visits&kind=line`).
 */
import type { FieldMeta, ModuleMeta } from '../api.js';

export type ChartKind = 'bar' | 'line' | 'pie';
export const CHART_KINDS: readonly ChartKind[] = ['bar', 'line', 'pie'];
export type Bucket = 'month' | 'year';
export const BUCKETS: readonly Bucket[] = ['month', 'year'];
export type MetricFn = 'count' | 'sum' | 'avg';

export interface ChartState {
  by: FieldMeta | undefined;
  bucket: Bucket;
  fn: MetricFn;
  /** The number field of sum and avg. */
  of: FieldMeta | undefined;
  kind: ChartKind;
}

const GROUPABLE = new Set(['enum', 'boolean', 'ref', 'date', 'datetime']);
export const isDate = (f: FieldMeta | undefined) => f?.kind === 'date' || f?.kind === 'datetime';

/** Fields the caller may group by: the API groups only by fields they may filter on. */
export const groupFields = (m: ModuleMeta): FieldMeta[] => m.fields.filter((f) => f.filterable && GROUPABLE.has(f.kind) && (!f.system || isDate(f)));

/** Number fields the caller may read, for sum and avg (id and version are not measures). */
export const measureFields = (m: ModuleMeta): FieldMeta[] => m.fields.filter((f) => !f.system && !f.writeOnly && (f.kind === 'number' || f.kind === 'integer') && !f.ref);

export function readChartState(query: URLSearchParams, m: ModuleMeta): ChartState {
  const groups = groupFields(m);
  const by = groups.find((f) => f.name === query.get('by')) ?? groups.find((f) => !f.system) ?? groups[0];
  const bucket = (BUCKETS as readonly string[]).includes(query.get('bucket') ?? '') ? (query.get('bucket') as Bucket) : 'month';
  const [fnText, ofName] = (query.get('metric') ?? 'count').split(':');
  const of = measureFields(m).find((f) => f.name === ofName);
  const fn: MetricFn = (fnText === 'sum' || fnText === 'avg') && of ? fnText : 'count';
  const kindText = query.get('kind') ?? '';
  const kind = (CHART_KINDS as readonly string[]).includes(kindText) ? (kindText as ChartKind) : isDate(by) ? 'line' : 'bar';
  return { by, bucket, fn, of: fn === 'count' ? undefined : of, kind };
}

/**
 * The aggregate's `groupBy`: a date's bucket; a reference by its id and, where the caller may
 * filter on it, the target's label, so that two customers called "Li" stay two bars.
 */
export function groupExprs(s: ChartState, meta: ReadonlyMap<string, ModuleMeta>): string[] {
  const by = s.by!;
  if (isDate(by)) return [`${s.bucket}(${by.name})`];
  const target = by.ref ? meta.get(by.ref) : undefined;
  const label = target && target.label !== 'id' ? target.fields.find((f) => f.name === target.label) : undefined;
  return label?.filterable ? [by.name, `${by.name}.${label.name}`] : [by.name];
}

export const metricExpr = (s: ChartState): string => (s.fn === 'count' ? 'count()' : `${s.fn}(${s.of!.name})`);
