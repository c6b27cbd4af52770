/**
 * Renders one component of a plugin's client part, loading the plugin's script the first time one
 * of its pieces is shown (a dynamic import of the file the server named; the browser then has it
 * for the rest of the visit). While it loads, the piece shows the usual loading line; a script
 * that fails to load, or lacks the component, shows an error in its place and leaves the rest of
 * the page working.
 */
import { html } from 'htm/preact';
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorPanel, Loading } from '../components/feedback.js';
import type { ClientPlugin } from '../plugin-sdk.js';
import type { UiManifest } from './manifest.js';

const loaded = new Map<string, Promise<ClientPlugin>>();

function loadPlugin(plugin: UiManifest): Promise<ClientPlugin> {
  let found = loaded.get(plugin.plugin);
  if (!found) {
    if (plugin.style && !document.querySelector(`link[href="${plugin.style}"]`)) {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = plugin.style;
      document.head.append(link);
    }
    found = (import(/* @vite-ignore */ plugin.script) as Promise<{ default?: ClientPlugin }>).then((m) => {
      if (!m.default?.components) throw new Error(`The plugin ${plugin.plugin} has no client part (export default defineClient({ … }))`);
      return m.default;
    });
    found.catch(() => loaded.delete(plugin.plugin));
    loaded.set(plugin.plugin, found);
  }
  return found;
}

/** The component once loaded; undefined while loading; an Error when it cannot be had. */
export function usePluginComponent(plugin: UiManifest, name: string): ComponentType<any> | Error | undefined {
  const [component, setComponent] = useState<{ c: ComponentType<any> | Error }>();
  useEffect(() => {
    let live = true;
    loadPlugin(plugin).then(
      (client) => {
        const c = client.components[name];
        if (live) setComponent({ c: c ?? new Error(`The plugin ${plugin.plugin} has no component ${name}`) });
      },
      (e: unknown) => live && setComponent({ c: e instanceof Error ? e : new Error(String(e)) }),
    );
    return () => {
      live = false;
    };
  }, [plugin.plugin, name]);
  return component?.c;
}

export function PluginPiece({ plugin, component, props, quiet }: { plugin: UiManifest; component: string; props: Record<string, unknown>; quiet?: boolean }) {
  const C = usePluginComponent(plugin, component);
  if (C instanceof Error) return html`<${ErrorPanel} message=${C.message} />`;
  if (!C) return quiet ? null : html`<${Loading} />`;
  return html`<${C} ...${props} />`;
}
