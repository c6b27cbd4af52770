/**
 * What a plugin's client part is written against: its entry exports `defineClient({ components })`
 * and its components use what is exported here — the same preact, API client, session, language
 * and building blocks as the admin UI, shared with it at run time (core/ui/ui-bundle.ts). The
 * server part of the plugin (`ui` in definePlugin) says where each component goes.
 */
import type { ComponentType } from 'preact';
import type { Location } from './router.js';
import type { Session } from './session.js';
import type { ModuleMeta, Rec } from './api.js';
import type { FieldMeta } from './api.js';
import type { Raw } from './form-values.js';
import { currentLang, t as uiWord } from './i18n.js';
import type { UiKey } from './strings/en.js';

export { html } from 'htm/preact';
export { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
export { api, fieldOf, loadMeta, messageOf, StratumError } from './api.js';
export type { FieldMeta, ModuleMeta, Rec, RelationMeta } from './api.js';
export { onUnauthenticated, type Session } from './session.js';
export { currentLang, enumTitle, fieldTitle, moduleTitle, setLang, type Lang } from './i18n.js';
export { match, navigate, useLocation, withQuery, type Location } from './router.js';
export { Alert, Breadcrumbs, ErrorPanel, Loading, type Crumb } from './components/feedback.js';
export { formatBytes, formatDateTime, formatValue, recordLabel, valueAt } from './format.js';
export { setFlash, takeFlash } from './flash.js';
export { LanguageSelect } from './components/language-select.js';
export { controlErrors, FieldInput } from './components/field-input.js';
export { initialRaw, parseRaw, type Raw } from './form-values.js';
export type { Filter, Me } from '../core/client/index.js';
// The charts' building blocks, for a plugin's own reports.
export { ChartCanvas, type Series } from './reports/chart-canvas.js';
export { allOf, fetchAggregate, type AggregateRequest } from './reports/fetch-aggregate.js';
export { formatPercent, isMonth, monthOverMonth, monthSpan, monthsUntil, rate, shiftMonth, sumsByKey, toNumber, type MonthRow } from './reports/period-change.js';

/** A plugin page: the session (null on a public page) and the `:name` parts of its path. */
export interface PageProps {
  session: Session | null;
  params: Record<string, string>;
  location: Location;
}

/** A record action or a panel on a record page. */
export interface RecordProps {
  session: Session;
  module: ModuleMeta;
  /** The record as the record page shows it: references embedded with their label (`{id, name}`). */
  record: Rec;
  /** Reads the record again, after the action changed it on the server. */
  reload: () => void;
}

/** A panel on the home page. */
export interface HomeProps {
  session: Session;
}

/** A widget: edits the value of one field of the plugin's field type in a form. */
export interface WidgetProps {
  field: FieldMeta;
  value: Raw;
  onChange: (raw: Raw) => void;
  /** The input's id, for the form's label. */
  id: string;
  error?: string;
}

export interface ClientPlugin {
  readonly components: Readonly<Record<string, ComponentType<any>>>;
}

/** The plugin's client part: its components by the names its server part gives them. */
export function defineClient(plugin: ClientPlugin): ClientPlugin {
  return plugin;
}

/**
 * The plugin's own words in English and Chinese: `t(key, vars)` gives the current language's,
 * `{name}` filled in, and falls back to the admin UI's words for keys the plugin does not define.
 */
export function defineWords<K extends string>(en: Readonly<Record<K, string>>, zh: Readonly<Record<K, string>>) {
  return (key: K | UiKey, vars: Record<string, string | number> = {}): string => {
    const own = (currentLang() === 'zh' ? zh : en) as Readonly<Record<string, string>>;
    const text = own[key];
    if (text === undefined) return uiWord(key as UiKey, vars);
    return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
  };
}
