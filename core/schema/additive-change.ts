import type { ErrorDetail } from '../errors.js';
import { buildModule } from './build-graph.js';
import { pointer } from './finding.js';
import { enumColumnWidth, type Field, type JsonSchema, type Relation } from './module.js';

/**
 * Which changes `PUT /api/modules/<m>` accepts today: new fields and refs, new indexes, and
 * anything that does not touch storage (titles, labels, lists, validation keywords). Renames,
 * drops and type changes need a migration with a dry run; until it exists they are refused.
 */
export function refuseNonAdditive(before: JsonSchema, after: JsonSchema): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const old = buildModule(before);
  const next = buildModule(after);
  for (const [name, field] of old.fields) {
    if (field.system) continue;
    const now = next.fields.get(name);
    if (!now) details.push(dropped(name));
    else if (storage(field) !== storage(now)) {
      details.push({
        path: pointer('properties', name),
        code: 'change_unsupported',
        message: `changing how "${name}" is stored (${storage(field)} → ${storage(now)}) is not supported yet`,
        hint: 'add a new field instead; type changes with a dry run are planned',
      });
    }
  }
  for (const [name, field] of old.fields) {
    const now = next.fields.get(name);
    // Adding enum values is fine while the column holds the longest; widening it is a type change.
    if (field.kind === 'enum' && now?.kind === 'enum' && enumColumnWidth(now.enum ?? []) > enumColumnWidth(field.enum ?? [])) {
      details.push({
        path: pointer('properties', name, 'enum'),
        code: 'change_unsupported',
        message: `the values of "${name}" are stored in ${enumColumnWidth(field.enum ?? [])} characters; a longer value needs a wider column, which is not supported yet`,
        hint: `keep every value of "${name}" at most ${enumColumnWidth(field.enum ?? [])} characters long`,
      });
    }
  }
  // Indexes are never dropped, so a uniqueness left out would still be enforced, without a name.
  const nextUniques = new Set(next.uniques.map(uniqueKey));
  for (const set of old.uniques) {
    if (nextUniques.has(uniqueKey(set))) continue;
    details.push({
      path: set.length === 1 ? pointer('properties', set[0]!) : pointer('x-unique'),
      code: 'change_unsupported',
      message: `dropping the uniqueness of ${set.join(' + ')} is not supported yet; the database would go on enforcing it`,
      hint: 'keep x-unique as it is',
    });
  }
  for (const [name, rel] of old.relations) {
    const now = next.relations.get(name);
    if (!now) details.push(dropped(name));
    else if (relationKey(rel) !== relationKey(now)) {
      details.push({ path: pointer('properties', name), code: 'change_unsupported', message: `changing the relation "${name}" is not supported yet`, hint: 'add a new relation instead' });
    }
  }
  if (old.softDelete && !next.softDelete) {
    // The rows marked deleted would show up again, and the maintained counts, which leave them out, would be wrong.
    details.push({
      path: pointer('x-soft-delete'),
      code: 'change_unsupported',
      message: 'turning soft delete off is not supported yet: the records deleted so far would come back',
      hint: 'keep "x-soft-delete": true',
    });
  }
  for (const [name, field] of next.fields) {
    if (field.system || old.fields.has(name)) continue;
    if (field.required && field.default === undefined) {
      details.push({
        path: pointer('required'),
        code: 'required_without_default',
        message: `the new field "${name}" is required but has no default, so existing records would break it`,
        hint: `give "${name}" a default, or make it optional`,
      });
    }
  }
  return details;
}

function dropped(name: string): ErrorDetail {
  return {
    path: pointer('properties', name),
    code: 'change_unsupported',
    message: `removing or renaming "${name}" is not supported yet; its data would be lost`,
    hint: 'keep the field (hide it from x-list.columns if it is no longer wanted)',
  };
}

const storage = (f: Field) => [f.kind, f.maxLength ?? '', f.precision ?? '', f.scale ?? '', f.ref ?? '', f.onDelete ?? ''].join(':');
const relationKey = (r: Relation) => [r.kind, r.target, r.via ?? ''].join(':');
const uniqueKey = (set: readonly string[]) => [...set].sort().join(',');
