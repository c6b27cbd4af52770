/**
 * The `isbn` field type: stored as up to 13 characters, accepted only with a valid check digit.
 * The admin UI's ISBN widget imports this file too, so it imports nothing that needs Node.
 */
import type { FieldType } from '../../core/plugins/define-plugin.js';

/** True for an ISBN-13, or an ISBN-10 (X as its check digit), written without hyphens, whose check digit holds. */
export function isIsbn(value: string): boolean {
  const digits = [...value].map((c) => (c === 'X' ? 10 : Number(c)));
  if (/^[0-9]{13}$/.test(value)) return digits.reduce((sum, d, i) => sum + d * (i % 2 === 0 ? 1 : 3), 0) % 10 === 0;
  if (/^[0-9]{9}[0-9X]$/.test(value)) return digits.reduce((sum, d, i) => sum + d * (10 - i), 0) % 11 === 0;
  return false;
}

/** An ISBN as printed on a book (`978-0-441-01359-3`), in the form it is stored in (`9780441013593`). */
export const compactIsbn = (printed: string): string => printed.toUpperCase().replace(/[\s-]/g, '');

export const isbn: FieldType = {
  schema: { type: 'string', maxLength: 13 },
  validate: (value) => (isIsbn(String(value)) ? undefined : 'must be an ISBN-10 or ISBN-13 without hyphens whose check digit holds, e.g. 9780441013593'),
  ui: { placeholder: '9780441013593' },
};
