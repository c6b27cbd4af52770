/**
 * The numbers of the sales report, each one aggregate of the CRM's modules as the logged-in
 * user (so their department and rules decide what is counted): customers by source, the
 * conversion rate by month, approved enrollments per class, and payments per month with the
 * twelve months before the period, for year-over-year.
 */
import type { ModuleMeta, Rec } from '../../../../ui/plugin-sdk.js';
// Straight from the admin UI's modules rather than the SDK (which loads the browser's session and
// language): the report's queries are also built under Node, where its tests run them.
import { allOf, fetchAggregate, monthOverMonth, monthSpan, monthsUntil, rate, shiftMonth, sumsByKey, toNumber, type AggregateRequest, type MonthRow } from '../../../../ui/plugin-sdk.js';

/** The modules and fields the report reads; without them (no CRM, or no grant) it is not offered. */
const NEEDS: Record<string, readonly string[]> = {
  customer: ['source', 'status', 'enquiryDate', 'consultant'],
  enrollment: ['class', 'status', 'approvedAt'],
  payment: ['amount', 'paidOn'],
};

export function canSeeSalesReport(meta: ReadonlyMap<string, ModuleMeta>): boolean {
  return Object.entries(NEEDS).every(([module, fields]) => {
    const m = meta.get(module);
    return !!m && fields.every((f) => m.fields.some((x) => x.name === f));
  });
}

export interface ReportParams {
  /** The last month of the period, `YYYY-MM`. */
  until: string;
  months: number;
  /** A department code: its records and its sub-departments' (codes are prefixes). */
  department?: string | undefined;
}

export interface SalesReport {
  months: string[];
  /** Customers by source, and how many of them enrolled (conversion by source). */
  sources: { source: string | null; count: number; share: number | null; enrolled: number; rate: number | null }[];
  conversion: { month: string; customers: number; enrolled: number; rate: number | null }[];
  classes: { id: unknown; name: string; count: number }[];
  sales: MonthRow[];
}

/** The department condition, reached from each module through the customer's consultant. */
const inDepartment = (path: string, code: string | undefined): Rec | undefined => (code ? { [path]: { startsWith: code } } : undefined);

/** The report's six aggregates, by name; pure, so that a test runs them on every dialect. */
export function salesReportRequests(p: ReportParams, meta: ReadonlyMap<string, ModuleMeta>): { months: string[]; requests: Record<ReportQuery, AggregateRequest> } {
  const months = monthsUntil(p.until, p.months);
  const [from, to] = monthSpan(months);
  const customers = allOf({ enquiryDate: { between: [from, to] } }, inDepartment('consultant.department.code', p.department));
  const enrolled = allOf(customers, { status: 'enrolled' });
  const approved = allOf({ status: 'approved', approvedAt: { between: [from, to] } }, inDepartment('customer.consultant.department.code', p.department));
  const [yearBefore] = monthSpan([shiftMonth(months[0]!, -12)]);
  const payments = allOf({ paidOn: { between: [yearBefore, to] } }, inDepartment('customer.consultant.department.code', p.department));
  const classLabel = meta.get('class')?.fields.find((f) => f.name === 'name')?.filterable;
  return {
    months,
    requests: {
      bySource: { module: 'customer', groupBy: ['source'], metrics: ['count()'], filter: customers },
      enrolledBySource: { module: 'customer', groupBy: ['source'], metrics: ['count()'], filter: enrolled },
      byMonth: { module: 'customer', groupBy: ['month(enquiryDate)'], metrics: ['count()'], filter: customers },
      enrolledByMonth: { module: 'customer', groupBy: ['month(enquiryDate)'], metrics: ['count()'], filter: enrolled },
      byClass: { module: 'enrollment', groupBy: classLabel ? ['class', 'class.name'] : ['class'], metrics: ['count()'], filter: approved },
      salesByMonth: { module: 'payment', groupBy: ['month(paidOn)'], metrics: ['sum(amount)'], filter: payments },
    },
  };
}

export type ReportQuery = 'bySource' | 'enrolledBySource' | 'byMonth' | 'enrolledByMonth' | 'byClass' | 'salesByMonth';

/** The report from the aggregates' rows: missing months count as 0, rates over nothing are unknown. */
export function assembleSalesReport(months: string[], rows: Record<ReportQuery, Rec[]>): SalesReport {
  const total = rows.bySource.reduce((s, r) => s + toNumber(r['count()']), 0);
  const all = sumsByKey(rows.byMonth, 'month(enquiryDate)', 'count()');
  const won = sumsByKey(rows.enrolledByMonth, 'month(enquiryDate)', 'count()');
  const wonBySource = sumsByKey(rows.enrolledBySource, 'source', 'count()');
  return {
    months,
    sources: rows.bySource
      .map((r) => {
        const count = toNumber(r['count()']);
        const enrolled = r.source === null ? 0 : (wonBySource.get(String(r.source)) ?? 0);
        return { source: r.source as string | null, count, share: rate(count, total), enrolled, rate: rate(enrolled, count) };
      })
      .sort((a, b) => b.count - a.count),
    conversion: months.map((month) => {
      const n = all.get(month) ?? 0;
      const e = won.get(month) ?? 0;
      return { month, customers: n, enrolled: e, rate: rate(e, n) };
    }),
    classes: rows.byClass
      .map((r) => ({ id: r.class, name: r['class.name'] ?? (r.class === null ? '' : `#${r.class}`), count: toNumber(r['count()']) }))
      .sort((a, b) => b.count - a.count || String(a.name).localeCompare(String(b.name))),
    sales: monthOverMonth(sumsByKey(rows.salesByMonth, 'month(paidOn)', 'sum(amount)'), months),
  };
}

export async function loadSalesReport(p: ReportParams, meta: ReadonlyMap<string, ModuleMeta>): Promise<SalesReport> {
  const { months, requests } = salesReportRequests(p, meta);
  const rows = await Promise.all(Object.entries(requests).map(async ([name, request]) => [name, await fetchAggregate(request)] as const));
  return assembleSalesReport(months, Object.fromEntries(rows) as Record<ReportQuery, Rec[]>);
}
