/** S-6: the report's month arithmetic — month-over-month (环比), year-over-year (同比) and rates. */
import { describe, expect, it } from 'vitest';
import { change, formatPercent, monthOverMonth, monthSpan, monthsUntil, rate, shiftMonth, sumsByKey } from '../../ui/reports/period-change.js';

describe('S-6 report arithmetic', () => {
  it('S-6 months move across year ends both ways', () => {
    expect(shiftMonth('2024-01', -1)).toBe('2023-12');
    expect(shiftMonth('2023-12', 1)).toBe('2024-01');
    expect(shiftMonth('2024-03', -12)).toBe('2023-03');
    expect(shiftMonth('2024-03', -27)).toBe('2021-12');
    expect(() => shiftMonth('2024-13', 1)).toThrow(/not a month/);
    expect(monthsUntil('2024-02', 4)).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
  });

  it('S-6 a run of months spans from the first day to the last, leap years included', () => {
    expect(monthSpan(['2023-11', '2023-12', '2024-01', '2024-02'])).toEqual(['2023-11-01', '2024-02-29']);
    expect(monthSpan(['2023-02'])).toEqual(['2023-02-01', '2023-02-28']);
    expect(monthSpan(['2024-12'])).toEqual(['2024-12-01', '2024-12-31']);
  });

  it('S-6 missing months count as 0, and a change over 0 is unknown, not Infinity', () => {
    const sums = new Map([['2023-03', 1000], ['2024-02', 2000], ['2024-03', 3000]]);
    const rows = monthOverMonth(sums, ['2024-02', '2024-03', '2024-04']);
    expect(rows).toEqual([
      { month: '2024-02', amount: 2000, previous: 0, lastYear: 0, mom: null, yoy: null },
      { month: '2024-03', amount: 3000, previous: 2000, lastYear: 1000, mom: 0.5, yoy: 2 },
      { month: '2024-04', amount: 0, previous: 3000, lastYear: 0, mom: -1, yoy: null },
    ]);
    expect(rows.map((r) => [formatPercent(r.mom), formatPercent(r.yoy)])).toEqual([['—', '—'], ['+50.0%', '+200.0%'], ['−100.0%', '—']]);
  });

  it('S-6 a month of net refunds is a negative base: the sign still says up or down', () => {
    expect(change(500, -1000)).toBe(1.5);
    expect(change(-2000, -1000)).toBe(-1);
    expect(change(0, 0)).toBeNull();
    expect(change(Number.NaN, 5)).toBeNull();
  });

  it('S-6 a conversion rate over no customers is unknown', () => {
    expect(rate(3, 12)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(formatPercent(rate(3, 12), false)).toBe('25.0%');
    expect(formatPercent(rate(0, 0), false)).toBe('—');
    expect(formatPercent(0)).toBe('0.0%');
  });

  it('S-6 aggregate rows become sums by key, decimals sent as text included, null keys left out', () => {
    const rows = [{ 'month(paidOn)': '2024-03', 'sum(amount)': '1200.50' }, { 'month(paidOn)': '2024-04', 'sum(amount)': 300 }, { 'month(paidOn)': null, 'sum(amount)': 7 }];
    expect(sumsByKey(rows, 'month(paidOn)', 'sum(amount)')).toEqual(new Map([['2024-03', 1200.5], ['2024-04', 300]]));
  });
});
