import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../core/schema/check-definitions.js';
import { buildModule } from '../../core/schema/build-graph.js';
import { recordValidator } from '../../core/schema/record-validator.js';
import { scopePath } from '../../core/schema/scope-paths.js';
import { buildGraph } from '../../core/schema/build-graph.js';

const category = { $id: 'category', type: 'object', properties: { name: { type: 'string', maxLength: 20 } } };

describe('definitions that would only fail later are refused at once', () => {
  it('a pattern that Unicode mode refuses (payloads are checked in Unicode mode)', () => {
    const f = checkDefinitions([{ $id: 'p', type: 'object', properties: { code: { type: 'string', maxLength: 9, pattern: '^A\\-B$' } } }]);
    expect(f.map((x) => [x.code, x.pointer])).toEqual([['pattern_invalid', '/properties/code/pattern']]);
  });

  it('"x-on-delete": "set-null" on a required reference', () => {
    const f = checkDefinitions([category, { $id: 'item', type: 'object', properties: { cat: { type: 'integer', 'x-ref': 'category', 'x-on-delete': 'set-null' } }, required: ['cat'] }]);
    expect(f.map((x) => [x.code, x.pointer])).toEqual([['ref_set_null_required', '/properties/cat/x-on-delete']]);
  });
});

describe('payload details', () => {
  it('many-to-many lists obey the minItems and maxItems of their definition', () => {
    const m = buildModule({ $id: 'art', type: 'object', properties: { tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'category', minItems: 1, maxItems: 2 } } });
    expect(recordValidator(m).create({ tags: [] })).toEqual([{ path: '/tags', message: 'must have at least 1 item', code: 'too_few_items' }]);
    expect(recordValidator(m).create({ tags: [1, 2, 3] })).toEqual([{ path: '/tags', message: 'must have at most 2 items', code: 'too_many_items' }]);
    expect(recordValidator(m).create({ tags: [1] })).toEqual([]);
  });

  it('a missing key inside a JSON field points into that field', () => {
    const m = buildModule({ $id: 'addr', type: 'object', properties: { address: { type: 'object', required: ['city'] } } });
    expect(recordValidator(m).create({ address: {} })).toEqual([{ path: '/address/city', message: 'is required', code: 'required' }]);
  });
});

describe('x-scope-paths', () => {
  it('"cat.id" names the same base record as "cat"', () => {
    const graph = buildGraph([category, { $id: 'visit', type: 'object', properties: { cat: { type: 'integer', 'x-ref': 'category' } }, 'x-scope-paths': { category: 'cat.id' } }]);
    expect(scopePath(graph, graph.modules.get('visit')!, 'category')).toEqual({ ok: true, refs: ['cat'] });
  });
});

describe('the department column and its indexes', () => {
  const department = { $id: 'department', type: 'object', properties: { code: { type: 'string', maxLength: 64 } } };
  const salesman = (sort: string, maxLength: number) => ({
    $id: 'salesman', type: 'object',
    properties: { name: { type: 'string', maxLength }, department: { type: 'integer', 'x-ref': 'department' } },
    'x-list': { sort },
  });

  it('a module reaching department gets _scope with indexes for its default sort', () => {
    const m = buildGraph([department, salesman('-name', 60)]).modules.get('salesman')!;
    expect(m.scopeColumn).toEqual({ column: '_scope', path: ['department'] });
    expect(m.indexes).toEqual([['_scope', 'name'], ['name', 'id', '_scope']]);
    expect(m.fields.get('_scope')).toMatchObject({ internal: true, system: true });
  });

  it('a sort on a string too long for a MySQL index key gets only the plain _scope index', () => {
    expect(buildGraph([department, salesman('name', 1000)]).modules.get('salesman')!.indexes).toEqual([['_scope']]);
  });

  it('department itself carries no copy of its own code', () => {
    expect(buildGraph([department, salesman('name', 60)]).modules.get('department')!.scopeColumn).toBeUndefined();
  });
});
