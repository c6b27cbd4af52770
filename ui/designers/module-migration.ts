/**
 * What a diff of two definitions cannot tell the server, from the draft: which fields were
 * renamed (rather than dropped and added), the module's new name, and what the stored values of
 * removed choices become. With the admin's answer to "values that do not fit" from the preview,
 * it is the request's `"x-migration"` (never stored).
 */
import type { OnMisfit } from '../../core/schema/change-plan.js';
import { definitionOf, renamesOf, splitOptions, typeOf, type FieldDraft, type Json, type ModuleDraft } from './module-draft.js';

export type { OnMisfit };

/** A choice the field had and has no more, with the choice its stored values become ('' for none). */
export interface RemovedChoice {
  value: string;
  to: string;
}

/**
 * The removed choices of a choice list that stays a choice list. Unless the admin chose, a value
 * becomes the new choice typed in its place (`bronze` → `copper` at the same position).
 */
export function removedChoices(f: FieldDraft): RemovedChoice[] {
  if (!f.original || f.type !== 'enum' || typeOf(f.original) !== 'enum') return [];
  const before = (f.original.enum as unknown[]).map(String);
  const now = splitOptions(f.options);
  const added = now.filter((v) => !before.includes(v));
  return before.filter((v) => !now.includes(v)).map((value) => {
    const inPlace = now[before.indexOf(value)];
    const to = f.valueMap[value] ?? (inPlace !== undefined && added.includes(inPlace) ? inPlace : '');
    return { value, to: now.includes(to) ? to : '' };
  });
}

/** The request's `x-migration`, or undefined when the definition says it all. */
export function migrationOf(d: ModuleDraft, onMisfit: Readonly<Record<string, OnMisfit>> = {}): Json | undefined {
  const out: Json = {};
  const renames = renamesOf(d);
  if (Object.keys(renames).length > 0) out.renames = renames;
  const stored = d.original?.$id;
  if (stored && d.name.trim() && d.name.trim() !== stored) out.moduleRename = d.name.trim();
  const valueMap: Json = {};
  for (const f of d.fields) {
    const mapped = removedChoices(f).filter((c) => c.to !== '');
    if (mapped.length > 0) valueMap[f.name.trim()] = Object.fromEntries(mapped.map((c) => [c.value, c.to]));
  }
  if (Object.keys(valueMap).length > 0) out.valueMap = valueMap;
  const names = new Set(d.fields.map((f) => f.name.trim()));
  // Refusing is what the server does anyway; only the other answers need saying.
  const answers = Object.entries(onMisfit).filter(([field, what]) => names.has(field) && what !== 'refuse');
  if (answers.length > 0) out.onMisfit = Object.fromEntries(answers);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The body of `PUT /api/modules/<stored name>`: the definition, with its `x-migration` when there is one. */
export function requestOf(d: ModuleDraft, onMisfit: Readonly<Record<string, OnMisfit>> = {}): Json {
  const definition = definitionOf(d);
  const migration = d.original ? migrationOf(d, onMisfit) : undefined;
  return migration ? { ...definition, 'x-migration': migration } : definition;
}
