/**
 * The JSON Schema (draft 2020-12) that every module definition must satisfy. It only describes
 * the shape of one definition; whatever needs the other definitions (refs, ref paths, clashes)
 * is checked in check-definitions.ts.
 *
 * Property schemas are split by `type` with if/then rather than oneOf, so that ajv reports the
 * fault of the variant the author meant instead of one failure per variant.
 */

export const MODULE_NAME = '^[a-z][a-z0-9_]{0,62}$';
export const PROPERTY_NAME = '^[a-z][a-zA-Z0-9_]{0,62}$';
const LANGUAGE = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
/** `-orderDate,number`, `customer.name`. */
const SORT = '^[-+]?[a-zA-Z0-9_.]+(,[-+]?[a-zA-Z0-9_.]+)*$';

type Schema = Record<string, unknown>;

const name = (pattern: string): Schema => ({ type: 'string', pattern });
const stringList: Schema = { type: 'array', items: { type: 'string' } };
const nameSets: Schema = {
  type: 'array',
  items: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
};

/** Keywords any property may carry. */
const common: Schema = {
  title: { type: 'string' },
  description: { type: 'string' },
  $comment: { type: 'string' },
  readOnly: { type: 'boolean' },
  writeOnly: { type: 'boolean' },
  deprecated: { type: 'boolean' },
  default: true, // checked against the property schema in check-definitions.ts
  examples: { type: 'array' },
  'x-unique': { type: 'boolean' },
  'x-index': { type: 'boolean' },
  'x-i18n': { type: 'object', propertyNames: { pattern: LANGUAGE }, additionalProperties: { type: 'string' } },
};

/** Keywords that mean something for one kind of property only. */
const specific: Record<string, Schema | boolean> = {
  maxLength: { type: 'integer', minimum: 1, maximum: 65535 },
  minLength: { type: 'integer', minimum: 0 },
  pattern: { type: 'string', format: 'regex' },
  format: { enum: ['date', 'date-time', 'email', 'uri', 'password'] },
  enum: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
  // What each enum value is called on screen (`{"walk_in": "Walk-in"}`); translations in x-i18n.<lang>.enums.
  'x-enum-titles': { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
  minimum: { type: 'number' },
  maximum: { type: 'number' },
  'x-precision': { type: 'integer', minimum: 1, maximum: 38 },
  'x-scale': { type: 'integer', minimum: 0, maximum: 38 },
  'x-ref': name(MODULE_NAME),
  'x-on-delete': { enum: ['restrict', 'cascade', 'set-null'] },
  'x-scope': { type: 'boolean' },
  'x-inverse': { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}\\.[a-z][a-zA-Z0-9_]{0,62}$' },
  'x-type': { enum: ['json', 'file'] },
  // A maintained trigram index that serves `q` (core/search); check-definitions allows it on text only.
  'x-search-index': { const: 'trigram' },
  items: true,
  uniqueItems: { type: 'boolean' },
  minItems: { type: 'integer', minimum: 0 },
  maxItems: { type: 'integer', minimum: 0 },
};

/**
 * One kind of property: its own keywords plus the common ones; the other kinds' keywords are
 * `false` so that the finding says "does not apply here" rather than "unknown"; anything else
 * unknown is refused unless it starts with `x-`.
 */
const variant = (own: Record<string, Schema | boolean>, extra: Schema = {}): Schema => ({
  properties: {
    ...Object.fromEntries(Object.keys(specific).map((k) => [k, false])),
    type: true,
    ...common,
    ...own,
  },
  patternProperties: { '^x-': true },
  additionalProperties: false,
  ...extra,
});

const pick = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, specific[k]!]));
const typeIs = (type: string): Schema => ({ properties: { type: { const: type } }, required: ['type'] });
const has = (key: string): Schema => ({ required: [key] });

/** A JSON value described by an arbitrary JSON Schema: its own keywords are not ours to judge. */
const notForJson = Object.fromEntries(
  ['x-ref', 'x-inverse', 'x-on-delete', 'x-scope', 'x-precision', 'x-scale', 'x-search-index'].map((k) => [k, false]),
);
const json: Schema = { properties: notForJson };

const property: Schema = {
  type: 'object',
  if: has('x-type'),
  then: {
    // A file is a handle the engine fills in (core/files): no schema of its own, no default,
    // and nothing to index or make unique.
    if: { properties: { 'x-type': { const: 'file' } } },
    then: variant({ 'x-type': { const: 'file' }, type: { const: 'object' }, default: false, 'x-unique': false, 'x-index': false }),
    else: { properties: { ...notForJson, 'x-type': specific['x-type'], type: { enum: ['object', 'array'] } } },
  },
  else: {
    required: ['type'],
    properties: { type: { enum: ['string', 'integer', 'number', 'boolean', 'object', 'array'] } },
    allOf: [
      { if: typeIs('string'), then: variant(pick('maxLength', 'minLength', 'pattern', 'format', 'enum', 'x-enum-titles', 'x-search-index')) },
      {
        if: typeIs('integer'),
        then: variant(pick('minimum', 'maximum', 'x-ref', 'x-on-delete', 'x-scope'), {
          dependentRequired: { 'x-on-delete': ['x-ref'], 'x-scope': ['x-ref'] },
        }),
      },
      { if: typeIs('number'), then: variant(pick('minimum', 'maximum', 'x-precision', 'x-scale')) },
      { if: typeIs('boolean'), then: variant({}) },
      { if: typeIs('object'), then: json },
      {
        if: typeIs('array'),
        then: {
          if: has('x-ref'),
          then: variant({
            ...pick('x-ref', 'uniqueItems', 'minItems', 'maxItems'),
            items: {
              type: 'object',
              properties: { type: { const: 'integer' } },
              required: ['type'],
            },
          }),
          else: {
            if: has('x-inverse'),
            then: variant(pick('x-inverse', 'items')),
            else: json,
          },
        },
      },
    ],
  },
};

export const metaSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://stratum.dev/schema/module-definition.json',
  title: 'Stratum module definition',
  type: 'object',
  required: ['$id', 'type', 'properties'],
  properties: {
    $id: name(MODULE_NAME),
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    type: { const: 'object' },
    title: { type: 'string' },
    description: { type: 'string' },
    properties: {
      type: 'object',
      propertyNames: { pattern: PROPERTY_NAME },
      additionalProperties: { $ref: '#/$defs/property' },
    },
    required: { type: 'array', items: { type: 'string' }, uniqueItems: true },
    additionalProperties: { const: false },
    'x-i18n': {
      type: 'object',
      propertyNames: { pattern: LANGUAGE },
      additionalProperties: {
        type: 'object',
        properties: {
          title: { type: 'string' },
          properties: { type: 'object', additionalProperties: { type: 'string' } },
          // Enum values' titles per property: `{"status": {"new": "新线索"}}`.
          enums: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } } },
        },
        additionalProperties: false,
      },
    },
    'x-unique': nameSets,
    'x-index': nameSets,
    'x-list': {
      type: 'object',
      properties: {
        columns: stringList,
        search: stringList,
        filters: stringList,
        sort: { type: 'string', pattern: SORT },
      },
      additionalProperties: false,
    },
    'x-scope-paths': {
      type: 'object',
      propertyNames: { pattern: MODULE_NAME },
      additionalProperties: { type: 'string', minLength: 1 },
    },
    'x-soft-delete': { type: 'boolean' },
  },
  patternProperties: { '^x-': true },
  additionalProperties: false,
  $defs: { property },
} as const;
