/**
 * English and Chinese: the UI's own words here, module and field labels from the definitions'
 * `x-i18n`. The choice is kept per browser (localStorage).
 */
import type { FieldMeta, ModuleMeta, RelationMeta } from './api.js';
import { EN, type UiKey as Key } from './strings/en.js';
import { ZH } from './strings/zh.js';

export type Lang = 'en' | 'zh';
export const LANGS: readonly { code: Lang; name: string }[] = [{ code: 'en', name: 'English' }, { code: 'zh', name: '中文' }];

const KEY = 'stratum.lang';

// Outside a browser (a test of a page's pure helpers, which load this file through the plugin SDK) there is no storage or document: English.
const browser = typeof localStorage !== 'undefined' && typeof document !== 'undefined';

function initial(): Lang {
  if (!browser) return 'en';
  const saved = localStorage.getItem(KEY);
  if (saved === 'en' || saved === 'zh') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let lang: Lang = initial();
if (browser) document.documentElement.lang = lang;

export const currentLang = (): Lang => lang;

export function setLang(next: Lang): void {
  lang = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
}

/** A UI string in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = (lang === 'zh' ? ZH : EN)[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A label in the current language from an `x-i18n` map (`zh`, `zh-CN`, `zh-Hans`… all count as zh). */
function pick(i18n: Record<string, string>, fallback: string): string {
  const tags = Object.keys(i18n).filter((tag) => tag === lang || tag.startsWith(`${lang}-`));
  return tags.length > 0 ? i18n[tags.sort()[0]!]! : fallback;
}

export const moduleTitle = (m: ModuleMeta): string => pick(m.i18n, m.title);

const SYSTEM_KEYS: Record<string, Key> = { id: 'field.id', createdAt: 'field.createdAt', updatedAt: 'field.updatedAt', createdBy: 'field.createdBy', updatedBy: 'field.updatedBy', version: 'field.version' };

/** An enum value (or an item of an enum list) as it is called on screen: its title in this language, else as stored. */
export function enumTitle(f: FieldMeta | undefined, value: string): string {
  const titles = f?.enumTitles;
  if (!titles) return value;
  const tags = Object.keys(titles).filter((tag) => tag !== '' && (tag === lang || tag.startsWith(`${lang}-`))).sort();
  return (tags.length > 0 ? titles[tags[0]!]![value] : undefined) ?? titles['']?.[value] ?? value;
}

export function fieldTitle(f: FieldMeta | RelationMeta): string {
  if ('system' in f && f.system && SYSTEM_KEYS[f.name]) return t(SYSTEM_KEYS[f.name]!);
  return pick(f.i18n, f.title);
}
