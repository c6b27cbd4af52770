/**
 * What a plugin adds to the admin UI. The server part (`ui` in definePlugin) says where each piece
 * goes — a page's path and menu entry, the module a record action or panel belongs to, the field
 * type a widget edits — and names a component; the client part (`ui.entry`, a module written with
 * `defineClient` from ui/plugin-sdk.ts) holds the components by those names. The UI reads the
 * server part from the page it is served with, so that menus and buttons appear without loading
 * any plugin's code, and loads a plugin's script only when one of its pieces is shown.
 */
import type { Action } from '../rules/access.js';
import type { PluginScope } from './types.js';

type Awaitable<T> = T | Promise<T>;

/** A text in the UI's languages; `en` is shown where a language has none. */
export interface Words {
  readonly en: string;
  readonly zh?: string;
}

/** An action on a module the user must hold (a permission), or the admin role. */
export type Need = { readonly module: string; readonly action: Action } | 'admin';

export interface UiPage {
  /** The page's path, with `:name` parts (`/teach/classes/:id`); it must not start with /api, /ui or /m. */
  readonly path: string;
  /** The client component that renders it; it gets the path's parts as `params`. */
  readonly component: string;
  readonly title: Words;
  /** Without login (a sign-up form): no session, no menu. */
  readonly public?: boolean;
  /** Shown only to users who hold all of these; the API refuses what they may not do anyway. */
  readonly requires?: readonly Need[];
  /** An entry in the menu, under a heading of the plugin's choice (the plugin's own by default). */
  readonly menu?: true | { readonly section?: Words };
}

/** Whether the caller may update and delete one record, as `GET /api/data/<m>/<id>/can` answers it. */
export interface RecordAccess {
  readonly update: boolean;
  readonly delete: boolean;
}

export interface UiRecordAction<T = Record<string, unknown>, M = any> {
  /** Unique within the plugin. */
  readonly name: string;
  /** The module on whose records the action appears. */
  readonly module: string;
  /** The client component: a button, or a small form, given the record. */
  readonly component: string;
  readonly title: Words;
  /**
   * Whether the caller may do it on this record, asked by the server for every record shown
   * (`GET /api/data/<module>/<id>/can`), as the caller: typically the permission the action
   * needs and the record's state. Without it, the action is offered to whoever may update the record.
   * `can` is the engine's answer for this caller and record — their permission and visibility for
   * update and delete — so that an action that writes the record can require it
   * (`allowed: (loan, ctx, can) => loan.returnedOn === null && can.update`).
   */
  allowed?(record: T, ctx: PluginScope<M>, can: RecordAccess): Awaitable<boolean>;
}

export interface UiPanel {
  /** The module on whose record page the panel shows, or `home` for the home page. */
  readonly module: string;
  readonly component: string;
  readonly title?: Words;
  readonly requires?: readonly Need[];
}

/** Sends users holding one of `roles` to `path` when they open the home page (a portal of their own). */
export interface UiLanding {
  readonly roles: readonly string[];
  readonly path: string;
}

export interface PluginUi<M = any> {
  /** The client module: `new URL('./ui/index.ts', import.meta.url)`. */
  readonly entry: string | URL;
  readonly pages?: readonly UiPage[];
  readonly recordActions?: readonly UiRecordAction<any, M>[];
  readonly panels?: readonly UiPanel[];
  /** Field type name (one of the plugin's `fieldTypes`) → the component that edits its values. */
  readonly widgets?: Readonly<Record<string, string>>;
  readonly landing?: readonly UiLanding[];
}

/** What the UI is told about one enabled plugin: the server part without the functions. */
export interface UiManifest {
  readonly plugin: string;
  /** The plugin's script, loaded when one of its pieces is first shown; its stylesheet, when it has one. */
  readonly script: string;
  readonly style?: string;
  readonly pages: readonly UiPage[];
  readonly recordActions: readonly { readonly name: string; readonly module: string; readonly component: string; readonly title: Words }[];
  readonly panels: readonly UiPanel[];
  readonly widgets: Readonly<Record<string, string>>;
  readonly landing: readonly UiLanding[];
}
