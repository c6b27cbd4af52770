/**
 * A plan's steps in the reader's language. The server words each step in English for API
 * callers (`message`); the designer words it again from its kind, fields, types and counts, so
 * that the preview reads the same in English and Chinese. A kind this UI does not know yet falls
 * back to the server's words.
 */
import type { Affect, PlanStep, StepKind } from '../../core/schema/change-plan.js';
import { currentLang, t } from '../i18n.js';
import { typeOf, type Json } from './module-draft.js';

const quoted = (names: readonly string[]): string => names.map((n) => `“${n}”`).join(currentLang() === 'zh' ? '、' : ', ');

/** A stored value as the preview shows it. */
export const valueWords = (v: unknown): string => (v === null || v === undefined || v === '' ? t('change.misfitEmpty') : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * A property's type in words: `whole number`; against another property of the same type, the
 * detail that differs (`text of up to 50 characters`, `choice (gold, silver)`).
 */
export function typeWords(schema: Json | undefined, other?: Json): string {
  if (!schema) return '';
  const type = typeOf(schema);
  const name = t(`typeName.${type}`);
  if (!other || typeOf(other) !== type) return name;
  if (type === 'string' && typeof schema.maxLength === 'number') return t('typeName.stringMax', { n: schema.maxLength });
  if (type === 'enum' && Array.isArray(schema.enum)) return `${name} (${schema.enum.join(', ')})`;
  return name;
}

/** What a tightening asks of the values: `at most 50 characters`, `now required` (the step may name several keywords). */
function keywordWords(s: PlanStep): string {
  const one = (keyword: string): string => {
    const value = s.after?.[keyword];
    const n = typeof value === 'number' || typeof value === 'string' ? value : undefined;
    switch (keyword) {
      case 'required': return t('keyword.required');
      case 'x-unique': return t('keyword.unique');
      case 'enum': return t('keyword.enum');
      case 'format': return value === 'email' ? t('keyword.email') : value === 'uri' ? t('keyword.uri') : t('keyword.other');
      case 'minLength': case 'maxLength': case 'minimum': case 'maximum': case 'pattern':
        return n === undefined ? t('keyword.other') : t(`keyword.${keyword}`, { n });
      default: return t('keyword.other');
    }
  };
  const words = [...new Set((s.keyword ?? '').split(',').map((k) => k.trim()).filter(Boolean).map(one))];
  return words.length > 0 ? words.join(currentLang() === 'zh' ? '，' : ', ') : t('keyword.other');
}

type Outcome = 'outcome.keeps' | 'outcome.keepsRecords' | 'outcome.fits' | 'outcome.changes' | 'outcome.toTrash' | 'outcome.linksToTrash' | 'outcome.recordsToTrash' | 'outcome.addEmpty' | 'outcome.addDefault';

/** What happens to the stored values, appended to the step's head. */
function outcomeWords(s: PlanStep): string {
  const vars = { rows: s.rows, misfits: s.misfits };
  // English says "its 1 value goes"; Chinese has one form for both.
  const words = (key: Outcome | 'outcome.misfits' | 'outcome.duplicates', v: Record<string, string | number>) =>
    t(s.rows === 1 && key !== 'outcome.misfits' && key !== 'outcome.duplicates' ? `${key}.one` : key, v);
  if (s.misfits > 0) return words(s.kind === 'add-unique' ? 'outcome.duplicates' : 'outcome.misfits', vars);
  switch (s.kind) {
    case 'drop-field': return words('outcome.toTrash', vars);
    case 'drop-relation': return words('outcome.linksToTrash', vars);
    case 'drop-module': return words('outcome.recordsToTrash', vars);
    case 'rename-module': return s.rows > 0 ? words('outcome.keepsRecords', vars) : '';
    case 'add-field':
      if (s.rows === 0) return '';
      return s.after?.default === undefined ? words('outcome.addEmpty', vars) : words('outcome.addDefault', { ...vars, value: valueWords(s.after.default) });
    case 'rename-field': case 'rename-relation': case 'widen': case 'convert': case 'narrow':
      if (s.rows === 0) return '';
      return s.keepsData ? words('outcome.keeps', vars) : words('outcome.changes', vars);
    case 'tighten': case 'add-unique':
      return s.rows > 0 ? words('outcome.fits', vars) : '';
    default: return '';
  }
}

const HEADS: Record<StepKind, (s: PlanStep, module: string) => string> = {
  'rename-module': (s) => t('change.rename-module', { from: s.from ?? '', to: s.to ?? '' }),
  'rename-field': (s) => t('change.rename-field', { from: s.from ?? '', to: s.to ?? s.field ?? '' }),
  'rename-relation': (s) => t('change.rename-relation', { from: s.from ?? '', to: s.to ?? s.field ?? '' }),
  'add-field': (s) => t('change.add-field', { field: s.field ?? '' }),
  'add-relation': (s) => t('change.add-relation', { field: s.field ?? '' }),
  widen: (s) => t('change.widen', { field: s.field ?? '', before: typeWords(s.before, s.after), after: typeWords(s.after, s.before) }),
  convert: (s) => t(s.before && s.after && typeOf(s.before) === typeOf(s.after) ? 'change.rechoose' : 'change.convert', { field: s.field ?? '', before: typeWords(s.before, s.after), after: typeWords(s.after, s.before) }),
  narrow: (s) => t('change.narrow', { field: s.field ?? '', before: typeWords(s.before, s.after), after: typeWords(s.after, s.before) }),
  tighten: (s) => t('change.tighten', { field: s.field ?? '', keyword: keywordWords(s) }),
  'add-index': (s) => t('change.add-index', { fields: quoted(s.fields ?? (s.field ? [s.field] : [])) }),
  'drop-index': (s) => t('change.drop-index', { fields: quoted(s.fields ?? (s.field ? [s.field] : [])) }),
  'add-unique': (s) => t('change.add-unique', { fields: quoted(s.fields ?? (s.field ? [s.field] : [])) }),
  'drop-unique': (s) => t('change.drop-unique', { fields: quoted(s.fields ?? (s.field ? [s.field] : [])) }),
  'drop-relation': (s) => t('change.drop-relation', { field: s.field ?? '' }),
  'drop-field': (s) => t('change.drop-field', { field: s.field ?? '' }),
  'drop-module': (s, module) => t('change.drop-module', { module }),
  describe: (s) => (s.field ? t('change.describeField', { field: s.field }) : t('change.describe')),
};

/** One step in words: `Rename field “phone” to “mobile” — keeps all 48 values`. */
export function stepWords(s: PlanStep, module: string): string {
  const head = HEADS[s.kind];
  return head ? head(s, module) + outcomeWords(s) : s.message;
}

/**
 * What an affected thing is, with the module or field it names: `Reference from another module
 * (order.customer)`. An affected record (a rule, a saved view) is named by its kind; the preview
 * links it by id.
 */
export function affectWords(a: Affect): string {
  const label = Object.hasOwn(AFFECT_KINDS, a.kind) ? t(`affect.${a.kind}`) : a.kind;
  const where = a.id !== undefined ? (a.field ?? '') : [a.module, a.field].filter(Boolean).join('.');
  return where ? `${label} (${where})` : label;
}

const AFFECT_KINDS: Record<Affect['kind'], true> = {
  rule: true, permission: true, saved_view: true, list: true, scope_path: true, reference: true, search_index: true, counts: true, history: true, files: true, plugin: true,
};
