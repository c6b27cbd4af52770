/**
 * What the UI is told about the enabled plugins' client parts (core/plugins/ui-types.ts): their
 * definitions without the functions, and where each plugin's script is. The same for every
 * visitor: it holds no data, only what the plugins offer; whether a user may use a piece is
 * decided by its `requires` in the UI, by `GET /api/data/<m>/<id>/can` per record, and by the API.
 */
import type { Plugin } from './define-plugin.js';
import type { UiManifest } from './ui-types.js';

export function uiManifest(enabled: readonly Plugin[], scripts: ReadonlyMap<string, { readonly script: string; readonly style?: string }>): UiManifest[] {
  const out: UiManifest[] = [];
  for (const plugin of enabled) {
    const ui = plugin.definition.ui;
    const files = scripts.get(plugin.name);
    if (!ui || !files) continue;
    out.push({
      plugin: plugin.name,
      script: `/ui/${files.script}`,
      ...(files.style ? { style: `/ui/${files.style}` } : {}),
      pages: ui.pages ?? [],
      recordActions: (ui.recordActions ?? []).map(({ name, module, component, title }) => ({ name, module, component, title })),
      panels: ui.panels ?? [],
      widgets: ui.widgets ?? {},
      landing: ui.landing ?? [],
    });
  }
  return out;
}
