/**
 * What a request's `x-migration` says that cannot be, each with its pointer and what to do:
 * unknown keys, renames of fields the module lacks or onto names it has, a module name taken,
 * value maps and misfit answers for fields the new definition lacks.
 */
import type { ErrorDetail } from '../errors.js';
import type { MigrationInput } from './change-plan.js';
import { pointer } from './finding.js';
import type { JsonSchema } from './module.js';

/** The key of a definition's top level that carries it (never stored). */
export const MIGRATION_KEY = 'x-migration';
const NAME = /^[a-z][a-z0-9_]{0,62}$/;
const FIELD_NAME = /^[a-z][a-zA-Z0-9_]{0,62}$/;

/** Everything the request's `x-migration` says that cannot be: unknown fields, clashing names. */
export function migrationProblems(before: JsonSchema, wanted: JsonSchema, migration: MigrationInput, others: readonly JsonSchema[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const at = (...s: string[]) => pointer(MIGRATION_KEY, ...s);
  if (typeof migration !== 'object' || migration === null || Array.isArray(migration)) return [{ path: at(), code: 'invalid_migration', message: 'must be an object', hint: 'send {"renames": {…}, "moduleRename": …, "valueMap": {…}, "onMisfit": {…}}' }];
  const known = new Set(['renames', 'moduleRename', 'valueMap', 'onMisfit', 'confirm']);
  for (const k of Object.keys(migration)) if (!known.has(k)) out.push({ path: at(k), code: 'invalid_migration', message: `"${k}" is not part of x-migration`, hint: 'use renames, moduleRename, valueMap or onMisfit' });
  const name = String(before.$id);
  const oldProps = (before.properties ?? {}) as Record<string, unknown>;
  const newProps = (wanted.properties ?? {}) as Record<string, unknown>;
  const rename = migration.moduleRename;
  if (rename !== undefined) {
    if (typeof rename !== 'string' || !NAME.test(rename)) out.push({ path: at('moduleRename'), code: 'invalid_migration', message: 'must be a module name: a lower-case letter, then letters, digits or _', hint: 'e.g. "client"' });
    else if (rename !== name && others.some((o) => o.$id === rename)) out.push({ path: at('moduleRename'), code: 'module_exists', message: `a module "${rename}" exists already`, hint: 'pick another name' });
  }
  if (wanted.$id !== name && wanted.$id !== rename) out.push({ path: '/$id', code: 'invalid_definition', message: `must be "${name}"${rename ? ` or "${rename}"` : ''}`, hint: 'rename a module with "x-migration": {"moduleRename": "<new name>"}' });
  const renames = migration.renames ?? {};
  if (typeof renames !== 'object' || Array.isArray(renames)) out.push({ path: at('renames'), code: 'invalid_migration', message: 'must map old field names to new ones', hint: '{"renames": {"phone": "mobile"}}' });
  else {
    const targets = new Set<string>();
    for (const [from, to] of Object.entries(renames)) {
      if (!(from in oldProps)) out.push({ path: at('renames', from), code: 'unknown_field', message: `"${from}" is not a field of "${name}"`, hint: `rename one of ${Object.keys(oldProps).join(', ')}` });
      if (typeof to !== 'string' || !FIELD_NAME.test(to)) out.push({ path: at('renames', from), code: 'invalid_migration', message: 'must be a field name', hint: 'a letter, then letters, digits or _' });
      else if (!(to in newProps)) out.push({ path: at('renames', from), code: 'unknown_field', message: `the new definition has no field "${to}"`, hint: `add "${to}" to properties` });
      else if (to !== from && to in oldProps) out.push({ path: at('renames', from), code: 'field_exists', message: `"${to}" is a field already`, hint: 'rename or remove it first, in a change of its own' });
      else if (targets.has(to)) out.push({ path: at('renames', from), code: 'invalid_migration', message: `two fields are renamed to "${to}"`, hint: 'give each its own name' });
      targets.add(String(to));
    }
  }
  for (const key of ['valueMap', 'onMisfit'] as const) {
    const map = migration[key] ?? {};
    if (typeof map !== 'object' || Array.isArray(map)) {
      out.push({ path: at(key), code: 'invalid_migration', message: 'must be an object keyed by field name', hint: `{"${key}": {"<field>": …}}` });
      continue;
    }
    for (const [field, v] of Object.entries(map)) {
      if (!(field in newProps)) out.push({ path: at(key, field), code: 'unknown_field', message: `the new definition has no field "${field}"`, hint: 'name fields by their new names' });
      if (key === 'onMisfit' && !['refuse', 'null', 'default'].includes(v as string)) out.push({ path: at(key, field), code: 'invalid_migration', message: 'must be "refuse", "null" or "default"', hint: '"null" empties the values that do not fit' });
      if (key === 'valueMap' && (typeof v !== 'object' || v === null || Array.isArray(v))) out.push({ path: at(key, field), code: 'invalid_migration', message: 'must map stored values to new ones', hint: '{"silver": "gold"}' });
    }
  }
  return out;
}
