/**
 * From CSV rows to records: the header names the fields (by name, title or translated title, or
 * `<reference>.id` as the export writes it); each row's cells are checked with the form's rules
 * and become one create request. Columns the caller may not write are left out and reported.
 */
import type { FieldMeta, ModuleMeta, Rec, RelationMeta } from './api.js';
import { parseRaw, type Raw } from './form-values.js';
import { fieldTitle } from './i18n.js';

export interface Mapping {
  /** Per CSV column: the field or relation it fills, or undefined when it is ignored. */
  columns: (FieldMeta | RelationMeta | undefined)[];
  ignored: string[];
}

export interface RowProblem {
  path: string;
  message: string;
}

export function mapHeader(header: readonly string[], m: ModuleMeta): Mapping {
  // A CSV cannot carry a file (an export writes only its name): file columns are ignored and reported.
  const writable = [...m.fields.filter((f) => f.writable && f.kind !== 'file'), ...m.relations.filter((r) => r.writable)];
  const norm = (s: string) => s.trim().toLowerCase();
  const columns = header.map((h) => {
    const name = norm(h).replace(/\.id$/, '');
    return writable.find((f) => norm(f.name) === name || norm(f.title) === norm(h) || norm(fieldTitle(f)) === norm(h) || Object.values(f.i18n).some((l) => norm(l) === norm(h)));
  });
  return { columns, ignored: header.filter((_, i) => !columns[i]) };
}

const LIST_SPLIT = /[;,]/;

/** One CSV row as a create payload, or the problems that keep it from being sent. */
export function rowToRecord(cells: readonly string[], mapping: Mapping): { record: Rec } | { problems: RowProblem[] } {
  const record: Rec = {};
  const problems: RowProblem[] = [];
  mapping.columns.forEach((target, i) => {
    const text = (cells[i] ?? '').trim();
    if (!target || text === '') return;
    if (target.kind === 'many-to-many' || target.kind === 'one-to-many') {
      const ids = text.split(LIST_SPLIT).map((v) => v.trim()).filter((v) => v !== '');
      if (ids.some((v) => !/^\d+$/.test(v))) problems.push({ path: `/${target.name}`, message: 'must be record ids separated by ;' });
      else record[target.name] = ids.map(Number);
      return;
    }
    const f = target as FieldMeta;
    let raw: Raw = text;
    if (f.kind === 'boolean') {
      const yes = /^(true|yes|1|是)$/i.test(text);
      if (!yes && !/^(false|no|0|否)$/i.test(text)) {
        problems.push({ path: `/${f.name}`, message: 'must be true or false' });
        return;
      }
      raw = yes;
    } else if (f.kind === 'ref') {
      if (!/^\d+$/.test(text)) {
        problems.push({ path: `/${f.name}`, message: 'must be the id of a record' });
        return;
      }
      raw = Number(text);
    } else if (f.kind === 'json' && (f.items || f.stringList)) {
      raw = text.split(LIST_SPLIT).map((v) => v.trim()).filter((v) => v !== '');
    }
    const parsed = parseRaw(f, raw);
    if ('error' in parsed) problems.push({ path: `/${f.name}`, message: parsed.error });
    else record[f.name] = parsed.value;
  });
  return problems.length > 0 ? { problems } : { record };
}
