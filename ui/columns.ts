/** The columns of a list, resolved against the caller's modules: what to fetch, sort and show. */
import type { FieldMeta, ModuleMeta } from './api.js';
import { fieldOf } from './api.js';
import { fieldTitle } from './i18n.js';

export interface Column {
  /** Where the value sits in a fetched record: the column as written in `x-list.columns`. */
  path: string;
  title: string;
  /** The `fields=` entry that fetches it (a reference also fetches its target's label). */
  fetch: string;
  /** The `sort=` key, or undefined when it cannot be sorted by this caller. */
  sort?: string;
  /** The field at the end of the path (or the reference itself), for formatting. */
  field?: FieldMeta;
  /** For a reference column: the module it points to, when the caller may read it. */
  target?: ModuleMeta;
  /** A many-to-many column: the value is a list of ids of `target`. */
  many?: boolean;
  /** The module whose detail page the value links to, with the id to take. */
  link?: { module: string; idPath: string };
}

export function resolveColumn(module: ModuleMeta, path: string, meta: ReadonlyMap<string, ModuleMeta>): Column {
  const steps = path.split('.');
  let here: ModuleMeta | undefined = module;
  let field: FieldMeta | undefined;
  const titles: string[] = [];
  let sortable = true;
  const relation = steps.length === 1 ? module.relations.find((r) => r.name === path) : undefined;
  // A many-to-many column (`roles`): its ids, named by the target's labels.
  if (relation) return { path, title: fieldTitle(relation), fetch: path, many: true, ...(meta.get(relation.target) ? { target: meta.get(relation.target)! } : {}) };
  for (const [i, step] of steps.entries()) {
    field = here ? fieldOf(here, step) : undefined;
    if (!field) return { path, title: path, fetch: path };
    titles.push(fieldTitle(field));
    sortable &&= field.filterable && (field.sortable || i < steps.length - 1);
    if (i < steps.length - 1) here = field.ref ? meta.get(field.ref) : undefined;
  }
  const last = field!;
  if (steps.length === 1 && last.ref) {
    const target = meta.get(last.ref);
    const labelled = target && target.label !== 'id' ? `${path}.${target.label}` : undefined;
    return {
      path, title: titles[0]!, fetch: labelled ?? path, field: last,
      ...(sortable ? { sort: labelled ?? path } : {}),
      ...(target ? { target, link: { module: target.name, idPath: `${path}.id` } } : {}),
    };
  }
  // `customer.name`: a name-like value through a reference is titled by the reference ("Customer").
  const owner = steps.length > 1 ? here : undefined;
  const naming = last.kind === 'string' || last.kind === 'enum';
  const title = owner && (naming || owner.label === steps[steps.length - 1]) ? titles.slice(0, -1).join(' › ') : titles.join(' › ');
  return {
    path, title, fetch: path, field: last,
    ...(sortable ? { sort: path } : {}),
    ...(owner && steps.length === 2 ? { link: { module: owner.name, idPath: `${steps[0]}.id` } } : {}),
  };
}
