/**
 * Picks a record of another module by typing part of its label: a combobox over the target's
 * list (the caller's own visibility applies), with arrow keys, Enter and Escape.
 */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type ModuleMeta, type Rec } from '../api.js';
import { recordLabel } from '../format.js';
import { moduleTitle, t } from '../i18n.js';

interface Props {
  target: ModuleMeta;
  value: number | null;
  onChange: (id: number | null) => void;
  id?: string;
  invalid?: boolean;
  describedBy?: string;
  /** Keep the input empty after a pick (adding to a many-to-many list). */
  clearOnPick?: boolean;
  placeholder?: string;
}

/** The filter that finds records of `target` whose label contains `text`. */
function searchFilter(target: ModuleMeta, text: string): Rec | undefined {
  if (text === '') return undefined;
  if (/^\d+$/.test(text) && target.label === 'id') return { id: Number(text) };
  if (target.label === 'id') return { id: -1 };
  return { [target.label]: { contains: text } };
}

export async function fetchLabels(target: ModuleMeta, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const fields = target.label === 'id' ? [] : [target.label];
  const page = await api.data(target.name).list({ filter: { id: { in: [...ids] } }, fields, pageSize: Math.min(ids.length, 500) });
  return new Map(page.data.map((r) => [Number(r.id), recordLabel(r, target)]));
}

export function RefPicker({ target, value, onChange, id, invalid, describedBy, clearOnPick, placeholder }: Props) {
  const [text, setText] = useState('');
  const [label, setLabel] = useState<string>('');
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<Rec[]>([]);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  const listId = `${id ?? target.name}-options`;

  useEffect(() => {
    if (value === null) {
      setLabel('');
      return;
    }
    let live = true;
    fetchLabels(target, [value]).then((labels) => live && setLabel(labels.get(value) ?? `#${value}`), () => live && setLabel(`#${value}`));
    return () => {
      live = false;
    };
  }, [value, target.name]);

  const search = (query: string) => {
    const mine = ++seq.current;
    const filter = searchFilter(target, query.trim());
    const sort = target.label !== 'id' && target.fields.find((f) => f.name === target.label)?.sortable ? target.label : '-id';
    api.data(target.name).list({ ...(filter ? { filter } : {}), fields: target.label === 'id' ? [] : [target.label], sort, pageSize: 8, total: 'none' })
      .then((page) => {
        if (mine !== seq.current) return;
        setOptions(page.data);
        setActive(0);
      }, () => mine === seq.current && setOptions([]));
  };

  useEffect(() => {
    if (!open) return;
    const timer = setTimeout(() => search(text), 150);
    return () => clearTimeout(timer);
  }, [text, open]);

  const pick = (r: Rec) => {
    onChange(Number(r.id));
    setLabel(recordLabel(r, target));
    setText('');
    setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      if (options[active]) pick(options[active]!);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setText('');
    }
  };

  const editing = open || text !== '';
  const shown = editing ? text : clearOnPick ? '' : label;
  return html`<div class=${`picker${invalid ? ' invalid' : ''}`}>
    <input id=${id} type="text" role="combobox" autocomplete="off" aria-expanded=${open} aria-controls=${listId} aria-invalid=${invalid ? 'true' : undefined} aria-describedby=${describedBy}
      aria-activedescendant=${open && options[active] ? `${listId}-${active}` : undefined}
      placeholder=${placeholder ?? t('picker.search', { module: moduleTitle(target) })}
      value=${shown}
      onInput=${(e: Event) => { setText((e.target as HTMLInputElement).value); setOpen(true); }}
      onFocus=${() => setOpen(true)}
      onBlur=${() => setTimeout(() => { setOpen(false); setText(''); }, 150)}
      onKeyDown=${onKeyDown} />
    ${value !== null && !clearOnPick && html`<button type="button" class="picker-clear" aria-label=${t('picker.clear')} title=${t('picker.clear')} onClick=${() => onChange(null)}>×</button>`}
    ${open && html`<ul class="picker-options" role="listbox" id=${listId}>
      ${options.length === 0 ? html`<li class="muted picker-empty">${t('picker.noMatch')}</li>` : options.map((r, i) => html`<li id=${`${listId}-${i}`} role="option" aria-selected=${i === active}
        class=${i === active ? 'active' : ''} onMouseDown=${(e: Event) => { e.preventDefault(); pick(r); }}>${recordLabel(r, target)} <span class="muted">#${r.id}</span></li>`)}
    </ul>`}
  </div>`;
}

/** A many-to-many value: the picked records as removable chips, and a picker to add more. */
export function MultiRefPicker({ target, value, onChange, id, invalid }: { target: ModuleMeta; value: readonly number[]; onChange: (ids: number[]) => void; id?: string; invalid?: boolean }) {
  const [labels, setLabels] = useState(new Map<number, string>());
  useEffect(() => {
    const missing = value.filter((v) => !labels.has(v));
    if (missing.length > 0) fetchLabels(target, missing).then((found) => setLabels((l) => new Map([...l, ...found])), () => undefined);
  }, [value.join(',')]);
  return html`<div class="multi">
    ${value.length > 0 && html`<ul class="chips">${value.map((v) => html`<li class="chip">${labels.get(v) ?? `#${v}`}
      <button type="button" aria-label=${`${t('filter.remove')} ${labels.get(v) ?? v}`} onClick=${() => onChange(value.filter((x) => x !== v))}>×</button></li>`)}</ul>`}
    <${RefPicker} target=${target} value=${null} id=${id} invalid=${invalid} clearOnPick=${true} placeholder=${t('picker.add')}
      onChange=${(picked: number | null) => picked !== null && !value.includes(picked) && onChange([...value, picked])} />
  </div>`;
}
