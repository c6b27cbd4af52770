/** What is wrong with a plugin's `ui` part, in words for the one who wrote it; [] when nothing. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PluginDefinition } from './types.js';
import type { Need, Words } from './ui-types.js';

const PAGE_PATH = /^(\/(?:[a-z0-9_.~-]+|:[a-zA-Z][a-zA-Z0-9_]*))+$/;
/** The generic UI's own paths, and the server's. */
const TAKEN = /^\/(api|ui|m|admin|login)(\/|$)/;
const COMPONENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MODULE = /^[a-z][a-z0-9_]{0,62}$/;
const ACTIONS = ['read', 'create', 'update', 'delete'];

export function uiProblems(d: PluginDefinition<any>): string[] {
  const ui = d.ui;
  if (ui === undefined) return [];
  if (typeof ui !== 'object' || ui === null) return ['ui: an object with the client entry and what it adds'];
  const out: string[] = [];
  const entry = ui.entry instanceof URL ? fileURLToPath(ui.entry) : ui.entry;
  if (typeof entry !== 'string' || entry === '') out.push("ui.entry: the client module, e.g. new URL('./ui/index.ts', import.meta.url)");
  else if (!existsSync(entry)) out.push(`ui.entry: ${entry} does not exist`);
  const paths = new Set<string>();
  (ui.pages ?? []).forEach((page, i) => {
    const at = `ui.pages[${i}]`;
    if (typeof page.path !== 'string' || !PAGE_PATH.test(page.path)) out.push(`${at}.path: a path such as "/reports/sales" or "/teach/classes/:id"`);
    else if (TAKEN.test(page.path)) out.push(`${at}.path: ${page.path} belongs to Stratum (/api, /ui, /m, /admin, /login)`);
    else if (paths.has(page.path)) out.push(`${at}.path: ${page.path} is given twice`);
    else paths.add(page.path);
    out.push(...componentProblems(page.component, at), ...wordsProblems(page.title, `${at}.title`), ...needsProblems(page.requires, `${at}.requires`));
    if (page.public && page.menu) out.push(`${at}: a public page has no menu entry (the menu is for logged-in users)`);
    if (page.public && page.requires) out.push(`${at}: a public page has no login, so it cannot require permissions`);
  });
  const actions = new Set<string>();
  (ui.recordActions ?? []).forEach((action, i) => {
    const at = `ui.recordActions[${i}]`;
    if (typeof action.name !== 'string' || !COMPONENT.test(action.name)) out.push(`${at}.name: letters, digits and _`);
    else if (actions.has(action.name)) out.push(`${at}.name: ${action.name} is given twice`);
    else actions.add(action.name);
    if (typeof action.module !== 'string' || !MODULE.test(action.module)) out.push(`${at}.module: a module name`);
    if (action.allowed !== undefined && typeof action.allowed !== 'function') out.push(`${at}.allowed: a function (record, ctx) => boolean`);
    out.push(...componentProblems(action.component, at), ...wordsProblems(action.title, `${at}.title`));
  });
  (ui.panels ?? []).forEach((panel, i) => {
    const at = `ui.panels[${i}]`;
    if (typeof panel.module !== 'string' || !MODULE.test(panel.module)) out.push(`${at}.module: a module name, or "home" for the home page`);
    out.push(...componentProblems(panel.component, at), ...needsProblems(panel.requires, `${at}.requires`));
    if (panel.title !== undefined) out.push(...wordsProblems(panel.title, `${at}.title`));
  });
  for (const [type, component] of Object.entries(ui.widgets ?? {})) {
    if (!(type in (d.fieldTypes ?? {}))) out.push(`ui.widgets.${type}: not one of the plugin's fieldTypes`);
    out.push(...componentProblems(component, `ui.widgets.${type}`));
  }
  (ui.landing ?? []).forEach((landing, i) => {
    if (!Array.isArray(landing.roles) || landing.roles.length === 0) out.push(`ui.landing[${i}].roles: the role names it is for`);
    if (!paths.has(landing.path)) out.push(`ui.landing[${i}].path: one of the plugin's pages`);
  });
  return out;
}

function componentProblems(component: unknown, at: string): string[] {
  return typeof component === 'string' && COMPONENT.test(component) ? [] : [`${at}.component: the name the client entry exports the component by`];
}

function wordsProblems(words: Words | undefined, at: string): string[] {
  return typeof words?.en === 'string' && words.en.trim() !== '' ? [] : [`${at}: { en: "…", zh: "…" }`];
}

function needsProblems(needs: readonly Need[] | undefined, at: string): string[] {
  if (needs === undefined) return [];
  if (!Array.isArray(needs)) return [`${at}: a list of { module, action } or "admin"`];
  return needs.flatMap((n, i) => n === 'admin' || (typeof n === 'object' && MODULE.test(n.module) && ACTIONS.includes(n.action)) ? [] : [`${at}[${i}]: { module, action } with action read, create, update or delete, or "admin"`]);
}
