/** A table of records: sortable headers, the first column linking to the record, optional checkboxes. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import type { ModuleMeta, Rec } from '../api.js';
import type { Column } from '../columns.js';
import { formatValue, valueAt } from '../format.js';
import { t } from '../i18n.js';
import { fetchLabels } from './ref-picker.js';
import { FileLink } from './file-link.js';

interface Props {
  module: ModuleMeta;
  columns: readonly Column[];
  rows: readonly Rec[];
  /** The current `sort` (`-name`), for the header arrows. */
  sort?: string;
  onSort?: (key: string) => void;
  selected?: ReadonlySet<number>;
  onSelect?: (ids: number[], on: boolean) => void;
}

export function RecordTable({ module, columns, rows, sort, onSort, selected, onSelect }: Props) {
  const sortKey = sort?.split(',')[0] ?? '';
  const desc = sortKey.startsWith('-');
  const current = desc ? sortKey.slice(1) : sortKey;
  const allOn = rows.length > 0 && !!selected && rows.every((r) => selected.has(r.id));
  // Many-to-many columns hold ids: their labels are fetched once per page, per column.
  const [labels, setLabels] = useState(new Map<string, Map<number, string>>());
  useEffect(() => {
    let live = true;
    const many = columns.filter((c) => c.many && c.target);
    Promise.all(many.map(async (c) => [c.path, await fetchLabels(c.target!, [...new Set(rows.flatMap((r) => (r[c.path] ?? []) as number[]))])] as const))
      .then((found) => live && setLabels(new Map(found)), () => undefined);
    return () => {
      live = false;
    };
  }, [rows]);
  const cell = (row: Rec, c: Column, i: number) => {
    if (c.many) return ((row[c.path] ?? []) as number[]).map((id) => labels.get(c.path)?.get(id) ?? `#${id}`).join(', ');
    const text = formatValue(valueAt(row, c.path), c.field, c.target);
    if (i === 0) return html`<a href=${`/m/${module.name}/${row.id}`}>${text || `#${row.id}`}</a>`;
    // A file of the listed record itself downloads from here; one through a reference is only named.
    if (c.field?.kind === 'file' && text && !c.path.includes('.')) return html`<${FileLink} module=${module.name} id=${row.id} field=${c.path} handle=${valueAt(row, c.path)} />`;
    const id = c.link ? valueAt(row, c.link.idPath) ?? (c.field?.ref ? valueAt(row, c.path) : undefined) : undefined;
    if (c.link && text && (typeof id === 'number')) return html`<a href=${`/m/${c.link.module}/${id}`} class="ref-link">${text}</a>`;
    return text;
  };
  return html`<div class="table-wrap"><table class="records" data-testid="records">
    <thead><tr>
      ${onSelect && html`<th class="check"><input type="checkbox" checked=${allOn} aria-label=${t('list.selectAll')}
        onChange=${(e: Event) => onSelect(rows.map((r) => r.id), (e.target as HTMLInputElement).checked)} /></th>`}
      ${columns.map((c) => {
        const on = c.sort !== undefined && c.sort === current;
        const ariaSort = on ? (desc ? 'descending' : 'ascending') : undefined;
        return html`<th scope="col" aria-sort=${ariaSort} data-column=${c.path} class=${c.field && (c.field.kind === 'number' || c.field.kind === 'integer') && !c.field.ref ? 'num' : ''}>
          ${c.sort && onSort
            ? html`<button type="button" class="sort" title=${t('list.sortBy', { field: c.title })} onClick=${() => onSort(on && !desc ? `-${c.sort}` : c.sort!)}>
                <span class="th-title">${c.title}</span><span class="arrow" aria-hidden="true">${on ? (desc ? '▼' : '▲') : '↕'}</span></button>`
            : html`<span class="th-title">${c.title}</span>`}
        </th>`;
      })}
    </tr></thead>
    <tbody>
      ${rows.map((row) => html`<tr data-id=${row.id} class=${selected?.has(row.id) ? 'selected' : ''}>
        ${onSelect && html`<td class="check"><input type="checkbox" checked=${selected?.has(row.id)} aria-label=${t('list.select', { id: row.id })}
          onChange=${(e: Event) => onSelect([row.id], (e.target as HTMLInputElement).checked)} /></td>`}
        ${columns.map((c, i) => html`<td data-column=${c.path} class=${c.field && (c.field.kind === 'number' || c.field.kind === 'integer') && !c.field.ref ? 'num' : ''}>${cell(row, c, i)}</td>`)}
      </tr>`)}
    </tbody>
  </table></div>`;
}
