/**
 * Which columns a list shows: `x-list.columns` unless the URL names others (`cols=name,phone`),
 * so that a saved view keeps its columns like its filters. Offered: the list's own columns, then
 * every other field and many-to-many relation the caller may read.
 */
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { ModuleMeta } from '../api.js';
import { resolveColumn } from '../columns.js';
import { t } from '../i18n.js';

/** Every column the chooser offers, in order: x-list.columns first. */
export function offeredColumns(m: ModuleMeta): string[] {
  const base = m.list.columns.length > 0 ? m.list.columns : [m.label];
  const more = [
    ...m.fields.filter((f) => !f.writeOnly && f.name !== 'id' && f.kind !== 'json').map((f) => f.name),
    ...m.relations.filter((r) => r.kind === 'many-to-many').map((r) => r.name),
  ];
  return [...new Set([...base, ...more])];
}

/** The columns to show: those of `cols` that are offered, in the offered order; else x-list.columns. */
export function chosenColumns(m: ModuleMeta, cols: string | null): string[] {
  const offered = offeredColumns(m);
  const wanted = new Set((cols ?? '').split(',').filter(Boolean));
  const chosen = offered.filter((c) => wanted.has(c));
  return chosen.length > 0 ? chosen : m.list.columns.length > 0 ? m.list.columns : [m.label];
}

interface Props {
  module: ModuleMeta;
  meta: ReadonlyMap<string, ModuleMeta>;
  chosen: readonly string[];
  /** The new `cols` value; undefined when it is the default again. */
  onChange: (cols: string | undefined) => void;
}

export function ColumnChooser({ module: m, meta, chosen, onChange }: Props) {
  const [open, setOpen] = useState(false);
  const offered = offeredColumns(m);
  const defaults = chosenColumns(m, null);
  const label = (c: string) => resolveColumn(m, c, meta).title;
  const toggle = (c: string, on: boolean) => {
    const next = offered.filter((o) => (o === c ? on : chosen.includes(o)));
    if (next.length === 0) return;
    onChange(next.join(',') === defaults.join(',') ? undefined : next.join(','));
  };
  // The checkboxes exist only while it is open: a closed chooser is one button, not a hidden form.
  return html`<details class="column-chooser" data-testid="columns" open=${open} onToggle=${(e: Event) => setOpen((e.target as HTMLDetailsElement).open)}>
    <summary class="button">${t('list.columns')}</summary>
    ${open && html`<fieldset class="column-list">
      <legend class="sr-only">${t('list.columns')}</legend>
      ${offered.map((c) => html`<label key=${c}>
        <input type="checkbox" checked=${chosen.includes(c)} disabled=${chosen.length === 1 && chosen.includes(c)}
          onChange=${(e: Event) => toggle(c, (e.target as HTMLInputElement).checked)} /> ${label(c)}</label>`)}
      <button type="button" class="button button-quiet" onClick=${() => onChange(undefined)}>${t('list.columnsDefault')}</button>
    </fieldset>`}
  </details>`;
}
