/**
 * The x-migration that undoes applied changes: from the definition after the last of them back
 * to the one before the first. Renames go back (followed through every change in between), the
 * module gets its old name back, and mapped values are mapped back where the map is one-to-one:
 * a choice field's renamed choices, none of which merged into a choice that stayed. Pure: the
 * change log records come from core/migrate/revert-change.ts.
 */
import type { MigrationInput } from './change-plan.js';
import type { JsonSchema } from './module.js';

/** What the revert needs of one applied change (a change log record that did not drop its module). */
export interface AppliedChange {
  readonly module: string;
  readonly newName: string;
  readonly before: JsonSchema;
  readonly after: JsonSchema;
  readonly migration: MigrationInput;
}

type ValueMap = ReadonlyMap<string, unknown>;

const props = (def: JsonSchema) => (def.properties ?? {}) as Record<string, JsonSchema>;

/** A field's name before `change`, given its name after it. */
export function nameBefore(change: AppliedChange, name: string): string {
  for (const [from, to] of Object.entries(change.migration.renames ?? {})) if (to === name) return from;
  return name;
}

/**
 * The migration from `current` (the module as stored now, named `currentName`) back to the
 * `before` of `changes[0]`; `changes` are the module's applied changes from that one to the
 * last, oldest first.
 */
export function revertMigration(changes: readonly AppliedChange[], current: JsonSchema, currentName: string): MigrationInput {
  const first = changes[0]!;
  const renames: Record<string, string> = {};
  const valueMap: Record<string, Record<string, unknown>> = {};
  for (const field of Object.keys(props(current))) {
    let name = field;
    // Stored value now (as text, the way a value map keys it) → the value it had back then.
    let values: ValueMap = new Map();
    for (const change of [...changes].reverse()) {
      const was = nameBefore(change, name);
      values = compose(values, inverseValueMap(change.migration.valueMap?.[name], props(change.before)[was]));
      name = was;
    }
    // A field the changes added has no name to go back to: the revert removes it.
    if (!(name in props(first.before))) continue;
    if (name !== field) renames[field] = name;
    // Only values the field can hold now: a choice that came and went in between is no value to map.
    const choices = choicesOf(props(current)[field]);
    const mapped = [...values].filter(([from, to]) => from !== String(to) && (!choices || choices.includes(from)));
    if (mapped.length > 0) valueMap[name] = Object.fromEntries(mapped);
  }
  return {
    ...(Object.keys(renames).length > 0 ? { renames } : {}),
    ...(currentName !== first.module ? { moduleRename: first.module } : {}),
    ...(Object.keys(valueMap).length > 0 ? { valueMap } : {}),
  };
}

/**
 * The map back, or none when values cannot be told apart afterwards: two values mapped to one,
 * a value mapped onto a choice that was kept (its own values and the mapped ones look alike),
 * or a field without a closed list of choices, where that cannot be known.
 */
function inverseValueMap(map: Readonly<Record<string, unknown>> | undefined, before: JsonSchema | undefined): ValueMap {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return new Map();
  const choices = choicesOf(before);
  if (!choices) return new Map();
  const back = new Map<string, unknown>();
  for (const [from, to] of entries) {
    if (to === null || typeof to === 'object') return new Map();
    const key = String(to);
    if (back.has(key) || (choices.includes(key) && !(key in map!))) return new Map();
    back.set(key, from);
  }
  return back;
}

const choicesOf = (p: JsonSchema | undefined) => (Array.isArray(p?.enum) ? (p.enum as unknown[]).map(String) : undefined);

/** `later` then `earlier`: each maps the values it does not name to themselves. */
function compose(later: ValueMap, earlier: ValueMap): ValueMap {
  const out = new Map<string, unknown>();
  for (const [from, to] of later) out.set(from, earlier.has(String(to)) ? earlier.get(String(to)) : to);
  for (const [from, to] of earlier) if (!later.has(from)) out.set(from, to);
  return out;
}
