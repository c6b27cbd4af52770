/**
 * fast-check arbitraries from the JSON Schemas of an OpenAPI document: values that validate
 * against a schema (for the fuzz suite's valid inputs), and strings that a parameter's schema
 * refuses (its invalid ones). Enough of JSON Schema for what the document uses: types, enum,
 * const, formats, bounds, objects, arrays, oneOf/anyOf and component references.
 */
import fc from 'fast-check';

type Schema = Record<string, any>;

/** Text a user or an attacker might type: the search box, a name, a path segment. */
export const nastyText = fc.constantFrom(
  "' OR 1=1 --", '"; DROP TABLE "user"; --', '1; SELECT SLEEP(5)', '%', '_', '\\', '../../etc/passwd', '<script>alert(1)</script>',
  '${jndi:ldap://x}', '\u0000', '\u202e', '𝕏😀', ' ', '', 'a'.repeat(300), 'null', 'undefined', '[]', '{}', '$user.id', '$now-99999y',
);

export function arbitraryOf(schema: Schema | undefined, resolve: (ref: string) => Schema, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object') return fc.constant(null);
  if (schema.$ref) return depth > 6 ? fc.constant({}) : arbitraryOf(resolve(schema.$ref), resolve, depth + 1);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const choices = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(choices)) return fc.oneof(...choices.map((s: Schema) => arbitraryOf(s, resolve, depth + 1)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : [];
  if (types.length === 0) return fc.jsonValue({ maxDepth: 2 });
  return fc.oneof(...types.map((t) => typed(t, schema, resolve, depth)));
}

function typed(type: string, schema: Schema, resolve: (ref: string) => Schema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = schema.minimum ?? -1_000_000;
      const max = schema.maximum ?? 1_000_000;
      return fc.oneof(fc.integer({ min: Math.max(min, -1e9), max: Math.min(max, 1e9) }), fc.constantFrom(min, Math.min(max, Number.MAX_SAFE_INTEGER)));
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringOf(schema);
    case 'array': {
      const items = arbitraryOf(schema.items ?? {}, resolve, depth + 1);
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case 'object': {
      if (depth > 6) return fc.constant({});
      const props: Record<string, Schema> = schema.properties ?? {};
      const required: string[] = schema.required ?? [];
      const record = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, arbitraryOf(s, resolve, depth + 1)]));
      return fc.record(record, { requiredKeys: required.filter((k) => k in props) });
    }
    default:
      return fc.constant(null);
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  const minLength = schema.minLength ?? 0;
  switch (schema.format) {
    case 'date':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc.date({ min: new Date('1900-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= maxLength);
    case 'uri':
      return fc.webUrl().filter((u) => u.length <= maxLength);
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? 1e9));
  const examples: string[] = Array.isArray(schema.examples) ? schema.examples.filter((e: unknown) => typeof e === 'string') : [];
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    nastyText.filter((t) => t.length >= minLength && t.length <= (schema.maxLength ?? 1e9)),
    ...(examples.length > 0 ? [fc.constantFrom(...examples)] : []),
  );
}

/** Query-string values that a parameter's schema refuses; none when the schema takes any string. */
export function invalidValueOf(schema: Schema | undefined): fc.Arbitrary<string> | undefined {
  if (!schema) return undefined;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'integer') {
    // An empty value means "the default" and is accepted: it is not among these.
    const out = ['abc', '1.5', '-1', '0x10', '1e3', '9'.repeat(40), ' 1'];
    if (schema.maximum !== undefined) out.push(String(schema.maximum + 1), String(Number.MAX_SAFE_INTEGER));
    if (schema.minimum !== undefined) out.push(String(schema.minimum - 1));
    // `-1` and `0` are valid where the minimum allows them.
    return fc.constantFrom(...out.filter((v) => !(/^-?\d+$/.test(v) && Number(v) >= (schema.minimum ?? -Infinity) && Number(v) <= (schema.maximum ?? Infinity))));
  }
  if (type === 'boolean') return fc.constantFrom('maybe', 'yes', 'no', '2', 'TRUE ', 'null');
  if (Array.isArray(schema.enum)) return fc.constantFrom('nope', 'ONLY', 'exact,none', "' OR 1=1 --").filter((v) => !schema.enum.includes(v));
  if (type === 'string' && schema.maxLength !== undefined) return fc.constant('x'.repeat(schema.maxLength + 1));
  return undefined;
}
