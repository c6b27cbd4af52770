/**
 * The million-row benchmark's Q4 profile: a stored date-time (`YYYY-MM-DD HH:MM:SS.mmm`, UTC, as storedDateTime
 * writes it) is turned into ISO text by rearranging it, without a Date. The answer must be the
 * one the Date gave, for every shape the engine stores and the ones it reads from elsewhere.
 */
import { expect, it } from 'vitest';
import { decodeValue } from '../../core/data/decode.js';
import { storedDateTime } from '../../core/query/values.js';
import type { Field } from '../../core/schema/module.js';

const datetime = { name: 'at', kind: 'datetime' } as unknown as Field;
const viaDate = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();

it('stored date-times read back as the Date would give them', () => {
  for (const iso of ['2025-12-31T23:59:59.999Z', '2024-02-29T00:00:00.000Z', '2000-01-01T12:34:56.789Z', '1970-01-01T00:00:00.000Z']) {
    const stored = storedDateTime(new Date(iso));
    expect(decodeValue(datetime, stored)).toBe(iso);
    expect(decodeValue(datetime, stored)).toBe(viaDate(stored));
  }
});

it('other shapes still go through a Date: SQLite offsets, Date objects, no milliseconds', () => {
  expect(decodeValue(datetime, '2025-01-02 03:04:05.678 +00:00')).toBe('2025-01-02T03:04:05.678Z');
  expect(decodeValue(datetime, '2025-01-02 03:04:05')).toBe('2025-01-02T03:04:05.000Z');
  expect(decodeValue(datetime, new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02T03:04:05.678Z');
  // Not a date a database stores: left as it is, as before.
  expect(decodeValue(datetime, 'not a date')).toBe('not a date');
});
