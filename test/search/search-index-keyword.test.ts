/**
 * `"x-search-index": "trigram"` is checked with the definition (core/schema): only on a text
 * property of the module itself, with a finding that points at the keyword and says what to do.
 */
import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../core/schema/check-definitions.js';

const findings = (properties: Record<string, unknown>) =>
  checkDefinitions([{ $id: 'thing', type: 'object', properties }]).map((f) => ({ code: f.code, pointer: f.pointer, message: f.message }));

describe('the x-search-index keyword', () => {
  it('is accepted on a string, with or without maxLength', () => {
    expect(findings({ name: { type: 'string', maxLength: 50, 'x-search-index': 'trigram' }, body: { type: 'string', 'x-search-index': 'trigram' } })).toEqual([]);
  });

  it('is refused on what is not free text: enum, dates, passwords', () => {
    expect(findings({ grade: { type: 'string', enum: ['a', 'b'], 'x-search-index': 'trigram' } })).toEqual([
      { code: 'search_index_not_text', pointer: '/properties/grade/x-search-index', message: "a trigram search index serves free text; 'grade' is stored as enum" },
    ]);
    expect(findings({ since: { type: 'string', format: 'date', 'x-search-index': 'trigram' } })[0]).toMatchObject({ code: 'search_index_not_text', pointer: '/properties/since/x-search-index' });
    expect(findings({ secret: { type: 'string', format: 'password', 'x-search-index': 'trigram' } })[0]).toMatchObject({ code: 'search_index_not_text' });
  });

  it('does not apply to numbers, JSON, files or references', () => {
    for (const prop of [{ type: 'integer' }, { type: 'object' }, { 'x-type': 'file', type: 'object' }, { type: 'integer', 'x-ref': 'thing' }]) {
      const [f] = findings({ f: { ...prop, 'x-search-index': 'trigram' } });
      expect(f, JSON.stringify(prop)).toMatchObject({ code: 'property_misplaced_keyword', pointer: '/properties/f/x-search-index' });
    }
  });

  it('knows one kind of index', () => {
    expect(findings({ name: { type: 'string', 'x-search-index': 'btree' } })).toEqual([
      { code: 'property_invalid', pointer: '/properties/name/x-search-index', message: 'must be "trigram"' },
    ]);
  });
});
