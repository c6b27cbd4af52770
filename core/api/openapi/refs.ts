import type { JsonSchema } from '../../schema/module.js';

/** A reference to a schema in `#/components/schemas`. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/**
 * Component names of a module's schemas. Module names are lowercase without dots, and the shared
 * schemas (`Error`, `Filter`, …) are capitalised, so no name can clash.
 */
export const names = {
  record: (module: string) => module,
  create: (module: string) => `${module}.create`,
  patch: (module: string) => `${module}.patch`,
  list: (module: string) => `${module}.list`,
};
