/**
 * Titles of enum values: `"x-enum-titles": {"walk_in": "Walk-in"}` on a property (the default
 * language) and `x-i18n.<lang>.enums.<property>` for translations. The stored value never changes;
 * only lists, forms, filters and charts show the title. A title for a value the property does not
 * have is a typo that would silently never show, so it is refused.
 */
import { pointer, type Finding } from './finding.js';

type Obj = Record<string, unknown>;
type Draft = Omit<Finding, 'module'>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The enum values of a property: a string enum, or the items of an array of enum values. */
export function enumValues(prop: unknown): readonly string[] | undefined {
  if (!isObj(prop)) return undefined;
  if (Array.isArray(prop.enum)) return prop.enum.map(String);
  if (prop.type === 'array' && isObj(prop.items) && Array.isArray(prop.items.enum)) return prop.items.enum.map(String);
  return undefined;
}

export function enumTitleFindings(def: Obj, props: Obj): Draft[] {
  const out: Draft[] = [];
  const unknownValue = (at: string, field: string, value: string, values: readonly string[]): Draft => ({
    code: 'enum_title_unknown_value',
    pointer: at,
    message: `'${value}' is not one of the values of '${field}'`,
    hint: `title only its values: ${values.join(', ')}`,
  });
  for (const [field, prop] of Object.entries(props)) {
    const titles = isObj(prop) ? prop['x-enum-titles'] : undefined;
    if (titles === undefined) continue;
    const values = enumValues(prop);
    if (!values) {
      out.push({ code: 'enum_title_not_enum', pointer: pointer('properties', field, 'x-enum-titles'), message: `'${field}' has no enum values to title`, hint: 'give the property an "enum", or remove x-enum-titles' });
      continue;
    }
    if (!isObj(titles)) continue; // the meta-schema reports its shape
    for (const value of Object.keys(titles)) {
      if (!values.includes(value)) out.push(unknownValue(pointer('properties', field, 'x-enum-titles', value), field, value, values));
    }
  }
  const translations = isObj(def['x-i18n']) ? def['x-i18n'] : {};
  for (const [lang, translation] of Object.entries(translations)) {
    const enums = isObj(translation) && isObj(translation.enums) ? translation.enums : {};
    for (const [field, titles] of Object.entries(enums)) {
      const values = enumValues(props[field]);
      if (!values) {
        out.push({ code: 'enum_title_not_enum', pointer: pointer('x-i18n', lang, 'enums', field), message: `'${field}' is not a property with enum values`, hint: `translate the values of: ${Object.keys(props).filter((k) => enumValues(props[k])).join(', ') || '(none)'}` });
        continue;
      }
      if (!isObj(titles)) continue;
      for (const value of Object.keys(titles)) {
        if (!values.includes(value)) out.push(unknownValue(pointer('x-i18n', lang, 'enums', field, value), field, value, values));
      }
    }
  }
  return out;
}
