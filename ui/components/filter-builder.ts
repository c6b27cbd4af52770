/**
 * The filter builder: one row per condition, its inputs chosen by the field's type (a select for
 * enums and yes/no, ranges for numbers and dates, "more than N days ago" for dates, a lookup for
 * references, "contains" for text), and for a one-to-many relation whether it has a related
 * record dated in the last N days (customers with no follow-up in 30 days). Rows live in
 * the URL (`?f=`), so a filtered list can be bookmarked and shared; they become the API's filter
 * JSON here.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { FieldMeta, ModuleMeta, Rec, RelationMeta } from '../api.js';
import { fieldOf } from '../api.js';
import { enumTitle, fieldTitle, t } from '../i18n.js';
import { RefPicker } from './ref-picker.js';

export interface FilterRow {
  field: string;
  op: Op;
  a?: string;
  b?: string;
}

type Op = 'eq' | 'range' | 'olderThan' | 'within' | 'contains' | 'empty' | 'noneWithin' | 'someWithin';

const DATED = new Set(['date', 'datetime']);

/** The date a related record is judged by: the target's default sort field if it is a date, else its first date field. */
function relationDate(r: RelationMeta, meta: ReadonlyMap<string, ModuleMeta>): FieldMeta | undefined {
  const target = meta.get(r.target);
  if (!target || !r.filterable) return undefined;
  const sortField = target.list.sort.split(',')[0]!.replace(/^-/, '');
  const dated = target.fields.filter((f) => DATED.has(f.kind) && f.filterable && !f.system);
  return dated.find((f) => f.name === sortField) ?? dated[0];
}

/** One-to-many relations that can be filtered by the date of their records. */
export const filterableRelations = (m: ModuleMeta, meta: ReadonlyMap<string, ModuleMeta>): RelationMeta[] =>
  m.relations.filter((r) => r.kind === 'one-to-many' && relationDate(r, meta));

const FILTERABLE_KINDS = new Set(['enum', 'boolean', 'integer', 'number', 'date', 'datetime', 'ref', 'string', 'text']);

export const filterableFields = (m: ModuleMeta): FieldMeta[] => m.fields.filter((f) => f.filterable && !f.writeOnly && FILTERABLE_KINDS.has(f.kind) && f.name !== 'version');

function opsOf(f: FieldMeta): Op[] {
  switch (f.kind) {
    case 'enum':
    case 'boolean':
      return ['eq'];
    case 'ref':
      return f.required ? ['eq'] : ['eq', 'empty'];
    case 'integer':
    case 'number':
      return ['range'];
    case 'date':
    case 'datetime':
      return ['range', 'olderThan', 'within'];
    default:
      return f.required ? ['contains'] : ['contains', 'empty'];
  }
}

const OP_LABEL: Record<Op, Parameters<typeof t>[0]> = {
  eq: 'filter.is', range: 'filter.between', olderThan: 'filter.olderThan', within: 'filter.within', contains: 'filter.contains', empty: 'filter.empty',
  noneWithin: 'filter.noneWithin', someWithin: 'filter.someWithin',
};

const relationOf = (m: ModuleMeta, name: string) => m.relations.find((r) => r.name === name && r.kind === 'one-to-many');

/** Rows from the URL's `f` parameter; anything malformed is dropped. */
export function parseRows(text: string | null, m: ModuleMeta): FilterRow[] {
  if (!text) return [];
  try {
    const rows = JSON.parse(text) as FilterRow[];
    return Array.isArray(rows) ? rows.filter((r) => r && typeof r.field === 'string' && (fieldOf(m, r.field) || relationOf(m, r.field)) && typeof r.op === 'string') : [];
  } catch {
    return [];
  }
}

/** The API filter of the rows that have a value; undefined when none has. */
export function rowsToFilter(rows: readonly FilterRow[], m: ModuleMeta, meta: ReadonlyMap<string, ModuleMeta>): Rec | undefined {
  const parts: Rec[] = [];
  for (const row of rows) {
    const relation = relationOf(m, row.field);
    if (relation) {
      const date = relationDate(relation, meta);
      const days = row.a?.trim() ?? '';
      if (date && /^\d+$/.test(days) && (row.op === 'noneWithin' || row.op === 'someWithin')) {
        parts.push({ [relation.name]: { [row.op === 'noneWithin' ? 'none' : 'some']: { [date.name]: { gte: `$now-${days}d` } } } });
      }
      continue;
    }
    const f = fieldOf(m, row.field);
    if (!f) continue;
    const a = row.a?.trim() ?? '';
    const b = row.b?.trim() ?? '';
    const num = (v: string) => (f.kind === 'integer' || f.kind === 'number' ? Number(v) : v);
    switch (row.op) {
      case 'eq':
        if (a === '') break;
        parts.push({ [f.name]: f.kind === 'boolean' ? a === 'true' : f.kind === 'ref' ? Number(a) : a });
        break;
      case 'empty':
        parts.push({ [f.name]: null });
        break;
      case 'contains':
        if (a !== '') parts.push({ [f.name]: { contains: a } });
        break;
      case 'range': {
        const range: Rec = {};
        if (a !== '') range.gte = num(a);
        if (b !== '') range.lte = f.kind === 'datetime' && /^\d{4}-\d{2}-\d{2}$/.test(b) ? `${b}T23:59:59.999Z` : num(b);
        if (Object.keys(range).length > 0) parts.push({ [f.name]: range });
        break;
      }
      case 'olderThan':
        if (/^\d+$/.test(a)) parts.push({ [f.name]: { lt: `$now-${a}d` } });
        break;
      case 'within':
        if (/^\d+$/.test(a)) parts.push({ [f.name]: { gte: `$now-${a}d` } });
        break;
    }
  }
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { and: parts };
}

interface Props {
  module: ModuleMeta;
  meta: ReadonlyMap<string, ModuleMeta>;
  rows: readonly FilterRow[];
  onApply: (rows: FilterRow[]) => void;
}

export function FilterBuilder({ module, meta, rows: applied, onApply }: Props) {
  const fields = filterableFields(module);
  const relations = filterableRelations(module, meta);
  const firstRow = (name: string): FilterRow | undefined => {
    const f = fields.find((x) => x.name === name);
    if (f) return { field: name, op: opsOf(f)[0]! };
    return relations.some((r) => r.name === name) ? { field: name, op: 'noneWithin' } : undefined;
  };
  const start = applied.length > 0 ? applied : module.list.filters.map(firstRow).filter((r): r is FilterRow => !!r);
  const [rows, setRows] = useState<FilterRow[]>([...start]);
  const update = (i: number, change: Partial<FilterRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const add = (name: string) => {
    const row = firstRow(name);
    if (row) setRows((rs) => [...rs, row]);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    onApply(rows);
  };

  const valueInputs = (row: FilterRow, i: number, f: FieldMeta) => {
    const label = fieldTitle(f);
    const input = (key: 'a' | 'b', type: string, aria: string) => html`<input type=${type} value=${row[key] ?? ''} aria-label=${`${label} ${aria}`} step=${f.kind === 'number' ? 'any' : undefined}
      onInput=${(e: Event) => update(i, { [key]: (e.target as HTMLInputElement).value })} />`;
    switch (row.op) {
      case 'eq':
        if (f.kind === 'ref') {
          const target = meta.get(f.ref!);
          if (!target) return input('a', 'number', 'id');
          return html`<${RefPicker} target=${target} value=${row.a ? Number(row.a) : null} onChange=${(id: number | null) => update(i, { a: id === null ? '' : String(id) })} />`;
        }
        return html`<select value=${row.a ?? ''} aria-label=${label} onChange=${(e: Event) => update(i, { a: (e.target as HTMLSelectElement).value })}>
          <option value="">${t('filter.any')}</option>
          ${f.kind === 'boolean'
            ? html`<option value="true">${t('filter.yes')}</option><option value="false">${t('filter.no')}</option>`
            : (f.enum ?? []).map((v) => html`<option value=${v}>${enumTitle(f, v)}</option>`)}
        </select>`;
      case 'range': {
        const type = f.kind === 'date' || f.kind === 'datetime' ? 'date' : 'number';
        return html`${input('a', type, t(type === 'date' ? 'filter.from' : 'filter.min'))}<span class="muted">–</span>${input('b', type, t(type === 'date' ? 'filter.to' : 'filter.max'))}`;
      }
      case 'olderThan':
      case 'within':
        return html`<input type="number" min="0" step="1" class="days" value=${row.a ?? ''} aria-label=${`${label} ${t('filter.days')}`}
          onInput=${(e: Event) => update(i, { a: (e.target as HTMLInputElement).value })} /><span class="muted">${t(row.op === 'olderThan' ? 'filter.daysAgo' : 'filter.days')}</span>`;
      case 'contains':
        return input('a', 'text', t('filter.contains'));
      default:
        return null;
    }
  };

  const relationRow = (row: FilterRow, i: number, r: RelationMeta) => {
    const label = fieldTitle(r);
    return html`<div class="filter-row" data-field=${r.name}>
      <span class="filter-field">${label}</span>
      <select class="filter-op" value=${row.op} aria-label=${`${label}: operator`} onChange=${(e: Event) => update(i, { op: (e.target as HTMLSelectElement).value as Op })}>
        <option value="noneWithin">${t('filter.noneWithin')}</option>
        <option value="someWithin">${t('filter.someWithin')}</option>
      </select>
      <span class="filter-value"><input type="number" min="0" step="1" class="days" value=${row.a ?? ''} aria-label=${`${label} ${t('filter.days')}`}
        onInput=${(e: Event) => update(i, { a: (e.target as HTMLInputElement).value })} /><span class="muted">${t('filter.daysWithin')}</span></span>
      <button type="button" class="icon-button" aria-label=${`${t('filter.remove')}: ${label}`} title=${t('filter.remove')}
        onClick=${() => setRows((rs) => rs.filter((_, j) => j !== i))}>×</button>
    </div>`;
  };

  return html`<form class="filters panel" onSubmit=${submit} data-testid="filters">
    ${rows.length === 0 && html`<p class="muted">${t('filter.none')}</p>`}
    ${rows.map((row, i) => {
      const relation = relations.find((r) => r.name === row.field);
      if (relation) return relationRow(row, i, relation);
      const f = fieldOf(module, row.field);
      if (!f) return null;
      const ops = opsOf(f);
      return html`<div class="filter-row" data-field=${f.name}>
        <span class="filter-field">${fieldTitle(f)}</span>
        ${ops.length > 1 && html`<select class="filter-op" value=${row.op} aria-label=${`${fieldTitle(f)}: operator`}
          onChange=${(e: Event) => update(i, { op: (e.target as HTMLSelectElement).value as Op, a: '', b: '' })}>
          ${ops.map((op) => html`<option value=${op}>${t(OP_LABEL[op])}</option>`)}
        </select>`}
        <span class="filter-value">${valueInputs(row, i, f)}</span>
        <button type="button" class="icon-button" aria-label=${`${t('filter.remove')}: ${fieldTitle(f)}`} title=${t('filter.remove')}
          onClick=${() => setRows((rs) => rs.filter((_, j) => j !== i))}>×</button>
      </div>`;
    })}
    <div class="filter-actions">
      <select aria-label=${t('filter.add')} value="" onChange=${(e: Event) => { add((e.target as HTMLSelectElement).value); (e.target as HTMLSelectElement).value = ''; }} data-testid="add-filter">
        <option value="">${t('filter.add')}</option>
        ${fields.map((f) => html`<option value=${f.name}>${fieldTitle(f)}</option>`)}
        ${relations.map((r) => html`<option value=${r.name}>${fieldTitle(r)}</option>`)}
      </select>
      <span class="spacer"></span>
      ${rows.length > 0 && html`<button type="button" class="button button-quiet" onClick=${() => { setRows([]); onApply([]); }}>${t('filter.reset')}</button>`}
      <button type="submit" class="button button-primary">${t('filter.apply')}</button>
    </div>
  </form>`;
}
