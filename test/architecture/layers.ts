/**
 * The layers of core/, bottom up: a file may import its own layer and those below it, never one
 * above. Read top down, they are the house: the app (the HTTP app, the server, the commands)
 * serves the UI and the plugins, which use the API, which serves the data layer, which asks auth
 * and the rules, which compile into queries over the db, all described by schema. `client` (the
 * typed HTTP client, also run in browsers) stands apart and imports nothing of the server.
 */
export const LAYERS = [
  ['base', /^core\/(errors\.ts|error-codes\.ts|data-dir\.ts|generated\/|system-modules\/)/],
  ['schema', /^core\/schema\//],
  ['query', /^core\/query\//],
  ['db', /^core\/db\//],
  ['search', /^core\/search\//],
  ['files', /^core\/files\//],
  ['rules', /^core\/rules\//],
  ['auth', /^core\/auth\//],
  ['data', /^core\/data\//],
  ['migrate', /^core\/migrate\//],
  ['api', /^core\/api\//],
  ['plugins', /^core\/plugins\//],
  ['ui', /^core\/ui\//],
  ['app', /^core\/[^/]+\.ts$/],
] as const;

export type Layer = (typeof LAYERS)[number][0];

/** The layer of a core/ file, or undefined for files outside the layers (core/client, ui, modules). */
export function layerOf(file: string): { name: Layer; rank: number } | undefined {
  const i = LAYERS.findIndex(([, pattern]) => pattern.test(file));
  return i < 0 ? undefined : { name: LAYERS[i]![0], rank: i };
}
