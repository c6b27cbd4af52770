/** How values look on screen: dates in the reader's time zone, references by their label. */
import type { FieldMeta, ModuleMeta, Rec } from './api.js';
import { enumTitle, t } from './i18n.js';

/** `2024-03-05T06:30:00.000Z` → `2024-03-05 14:30` in the browser's time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The label of an embedded record (`{id, name}`) or of a bare id. */
export function recordLabel(value: unknown, target: ModuleMeta | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const r = value as Rec;
    const label = target && target.label !== 'id' ? r[target.label] : undefined;
    return label !== undefined && label !== null && label !== '' ? String(label) : `#${r.id}`;
  }
  return `#${value}`;
}

/** A field's value as text. */
export function formatValue(value: unknown, field: FieldMeta | undefined, target?: ModuleMeta): string {
  if (value === null || value === undefined) return '';
  if (field?.ref) return recordLabel(value, target);
  switch (field?.kind) {
    case 'boolean':
      return value ? t('value.yes') : t('value.no');
    case 'datetime':
      return formatDateTime(String(value));
    case 'number':
      return typeof value === 'number' ? value.toLocaleString(undefined, { maximumFractionDigits: field.scale ?? 4 }) : String(value);
    case 'enum':
      return enumTitle(field, String(value));
    case 'json':
      return Array.isArray(value) && value.every((v) => typeof v !== 'object') ? value.map((v) => (field.items ? enumTitle(field, String(v)) : String(v))).join(', ') : JSON.stringify(value);
    case 'file':
      return typeof value === 'object' ? String((value as Rec).name ?? '') : String(value);
    default:
      if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? recordLabel(v, target) : `#${v}`)).join(', ');
      if (typeof value === 'object') return recordLabel(value, target);
      return String(value);
  }
}

/** `1536` → `1.5 KB`: a file's size as people read it. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const [size, unit] = n < 1024 * 1024 ? [n / 1024, 'KB'] : [n / 1024 / 1024, 'MB'];
  return `${size.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${unit}`;
}

/** The value at a path of a record as the API returns it (`customer.name` → record.customer.name). */
export function valueAt(record: Rec, path: string): unknown {
  let value: unknown = record;
  for (const step of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Rec)[step];
  }
  return value;
}
