/**
 * The arithmetic of month-over-month and year-over-year reports, pure so that it is tested without a browser: months as
 * `YYYY-MM` (what the aggregate's `month(f)` bucket returns), month-over-month (环比) and
 * year-over-year (同比) change, and rates. A month the aggregate does not return had nothing,
 * so it counts as 0; a change or rate over 0 is unknown (null, shown as "—"), never Infinity.
 */

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (text: string | null | undefined): text is string => !!text && MONTH.test(text);

/** `2024-01` moved by `by` months: `shiftMonth('2024-01', -1)` is `2023-12`. */
export function shiftMonth(month: string, by: number): string {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const index = Number(m[1]) * 12 + Number(m[2]) - 1 + by;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The `count` months that end with `last`, oldest first. */
export function monthsUntil(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftMonth(last, i - count + 1));
}

/** The first and last day of a run of months, for a `between` filter on a date field. */
export function monthSpan(months: readonly string[]): [string, string] {
  const last = months[months.length - 1]!;
  const next = shiftMonth(last, 1);
  const lastDay = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 0)).getUTCDate();
  return [`${months[0]}-01`, `${last}-${String(lastDay).padStart(2, '0')}`];
}

/**
 * The relative change from `before` to `now`: 0.5 is +50%. Over a negative base (a month of net
 * refunds) the sign still says up or down. Unknown when there is nothing to compare with.
 */
export function change(now: number, before: number): number | null {
  if (before === 0 || !Number.isFinite(before) || !Number.isFinite(now)) return null;
  return (now - before) / Math.abs(before);
}

/** `part / whole`, unknown when the whole is 0. */
export const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export interface MonthRow {
  month: string;
  amount: number;
  /** The month before and the same month a year earlier, 0 when they had nothing. */
  previous: number;
  lastYear: number;
  mom: number | null;
  yoy: number | null;
}

/** One row per month of `months`, from the sums per month (missing months count as 0). */
export function monthOverMonth(sums: ReadonlyMap<string, number>, months: readonly string[]): MonthRow[] {
  const at = (month: string) => sums.get(month) ?? 0;
  return months.map((month) => {
    const amount = at(month);
    const previous = at(shiftMonth(month, -1));
    const lastYear = at(shiftMonth(month, -12));
    return { month, amount, previous, lastYear, mom: change(amount, previous), yoy: change(amount, lastYear) };
  });
}

/** Aggregate rows (`{"month(paidOn)": "2024-03", "sum(amount)": "1200.00"}`) as a map; MariaDB sends decimals as text. */
export function sumsByKey(rows: readonly Record<string, unknown>[], key: string, metric: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = r[key];
    if (k === null || k === undefined) continue;
    out.set(String(k), (out.get(String(k)) ?? 0) + toNumber(r[metric]));
  }
  return out;
}

export const toNumber = (value: unknown): number => {
  const n = typeof value === 'number' ? value : Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
};

/** `0.125` → `+12.5%`, `-0.5` → `−50.0%`, unknown → `—`. */
export function formatPercent(value: number | null, signed = true): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = `${(Math.abs(value) * 100).toFixed(1)}%`;
  if (!signed) return value < 0 ? `−${text}` : text;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}
