/**
 * The enabled plugins' client parts, as the server wrote them into the page
 * (core/plugins/ui-manifest.ts), and what of them a user is offered. Reading them loads no plugin
 * code: menus, buttons and slots are known from here, and a plugin's script is fetched only when
 * one of its pieces is shown (./load-piece.ts).
 */
import type { UiManifest, UiPage, Need, Words } from '../../core/plugins/ui-types.js';
import type { Me } from '../../core/client/index.js';
import type { ModuleMeta } from '../api.js';
import { currentLang } from '../i18n.js';
import { match } from '../router.js';

export type { UiManifest, UiPage, Need, Words };

function read(): readonly UiManifest[] {
  const text = typeof document === 'undefined' ? undefined : document.getElementById('stratum-plugins')?.textContent;
  if (!text) return [];
  try {
    return JSON.parse(text) as UiManifest[];
  } catch {
    return [];
  }
}

export const PLUGINS: readonly UiManifest[] = read();

/** A text in the current language, English where it has none. */
export const words = (w: Words): string => (currentLang() === 'zh' && w.zh ? w.zh : w.en);

/** Whether a user holds every need: an action on a module they may read, or the admin role. */
export function holds(needs: readonly Need[] | undefined, me: Me | undefined, meta: ReadonlyMap<string, ModuleMeta> | undefined): boolean {
  return (needs ?? []).every((n) => n === 'admin' ? me?.isAdmin === true : meta?.get(n.module)?.actions.includes(n.action) === true);
}

export interface FoundPage {
  plugin: UiManifest;
  page: UiPage;
  params: Record<string, string>;
}

/** The plugin page at a path, or undefined. */
export function pageAt(path: string): FoundPage | undefined {
  for (const plugin of PLUGINS) {
    for (const page of plugin.pages) {
      const params = match(page.path, path);
      if (params) return { plugin, page, params };
    }
  }
  return undefined;
}

/** A menu entry's test id: `menu-` and its component's name in kebab case (SalesReport → menu-sales-report). */
const testidOf = (component: string) => `menu-${component.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}`;

/** Menu entries by section title: the pages a user may open that ask for one. */
export function menuSections(me: Me, meta: ReadonlyMap<string, ModuleMeta>): { title: string; pages: { href: string; title: string; plugin: string; testid: string }[] }[] {
  const sections = new Map<string, { href: string; title: string; plugin: string; testid: string }[]>();
  for (const plugin of PLUGINS) {
    for (const page of plugin.pages) {
      if (!page.menu || page.public || page.path.includes('/:') || !holds(page.requires, me, meta)) continue;
      const section = page.menu === true || !page.menu.section ? plugin.plugin : words(page.menu.section);
      sections.set(section, [...(sections.get(section) ?? []), { href: page.path, title: words(page.title), plugin: plugin.plugin, testid: testidOf(page.component) }]);
    }
  }
  return [...sections].map(([title, pages]) => ({ title, pages }));
}

/**
 * Where a user lands instead of the home page (a portal made for their role), or undefined. An
 * admin keeps the home page whatever other roles they hold: they run the whole application.
 */
export function landingFor(me: Me): string | undefined {
  if (me.isAdmin) return undefined;
  for (const plugin of PLUGINS) {
    for (const l of plugin.landing) if (l.roles.some((r) => me.roles.includes(r))) return l.path;
  }
  return undefined;
}

export const recordActionsOf = (module: string) => PLUGINS.flatMap((plugin) => plugin.recordActions.filter((a) => a.module === module).map((action) => ({ plugin, action })));

export const panelsOf = (module: string) => PLUGINS.flatMap((plugin) => plugin.panels.filter((p) => p.module === module).map((panel) => ({ plugin, panel })));

/** The plugin and component that edit a field type's values, or undefined for the generic input. */
export function widgetFor(type: string | undefined): { plugin: UiManifest; component: string } | undefined {
  if (!type) return undefined;
  for (const plugin of PLUGINS) if (plugin.widgets[type]) return { plugin, component: plugin.widgets[type]! };
  return undefined;
}
