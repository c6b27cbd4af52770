/** Calendar days as `YYYY-MM-DD` strings (UTC): the demo's history is laid out in days before "today". */

export const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `day` moved by `n` days (negative: earlier). */
export function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Days from `a` to `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** The earlier of two days. */
export function minDay(a: string, b: string): string {
  return a <= b ? a : b;
}

/** A moment of `day` in Beijing office hours, as a date-time with its offset. */
export function atHour(day: string, hour: number): string {
  return `${day}T${String(hour).padStart(2, '0')}:00:00+08:00`;
}
