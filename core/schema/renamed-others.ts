/**
 * The other definitions as a change's switch leaves them: their references, inverse relations and
 * scope paths follow the change's module and field renames. A renamed definition is checked
 * against these, not against the others as stored, which still name the old names.
 */
import type { MigrationInput } from './change-plan.js';
import type { JsonSchema } from './module.js';
import { renameInDefinition, type Renames } from './rename-references.js';

/** The renames an x-migration asks for, as the reference rewrite takes them (what is not a name is left to the planner to refuse). */
export function renamesOf(module: string, migration: MigrationInput): Renames {
  const fields = Object.entries(migration.renames ?? {}).filter(([, to]) => typeof to === 'string');
  const rename = typeof migration.moduleRename === 'string' && migration.moduleRename !== module ? migration.moduleRename : undefined;
  return {
    modules: new Map(rename ? [[module, rename]] : []),
    fields: new Map(fields.length > 0 ? [[module, new Map(fields)]] : []),
  };
}

/** Every definition but `module`'s, by name, rewritten for the renames of `migration` on it. */
export function othersAfterRenames(definitions: ReadonlyMap<string, JsonSchema>, module: string, migration: MigrationInput): Map<string, JsonSchema> {
  const renames = renamesOf(module, migration);
  return new Map([...definitions].filter(([name]) => name !== module).map(([name, def]) => [name, renameInDefinition(definitions, def, renames)]));
}
