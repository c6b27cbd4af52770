/** V-6: what the generic chart offers for a module, from its metadata alone (modules made at runtime included). */
import { describe, expect, it } from 'vitest';
import type { FieldMeta, ModuleMeta } from '../../core/api/meta-modules.js';
import { groupExprs, groupFields, measureFields, metricExpr, readChartState } from '../../ui/reports/chart-options.js';

const field = (name: string, kind: FieldMeta['kind'], more: Partial<FieldMeta> = {}): FieldMeta => ({
  name, kind, title: name, i18n: {}, required: false, system: false, writable: true, filterable: true, sortable: true, unique: false, writeOnly: false, ...more,
});
const module = (name: string, fields: FieldMeta[], label = 'name'): ModuleMeta => ({
  name, title: name, i18n: {}, builtin: false, actions: ['read'], fields, relations: [], list: { columns: [], search: [], filters: [], sort: '-id' }, label, softDelete: false,
});

const user = module('user', [field('name', 'string')]);
const expense = module('expense', [
  field('id', 'integer', { system: true }),
  field('createdAt', 'datetime', { system: true }),
  field('title', 'string'),
  field('category', 'enum', { enum: ['travel', 'office'] }),
  field('secret', 'enum', { enum: ['a'], filterable: false }),
  field('spentOn', 'date'),
  field('amount', 'number'),
  field('nights', 'integer'),
  field('owner', 'ref', { ref: 'user' }),
  field('paid', 'boolean'),
]);
const meta = new Map([['user', user], ['expense', expense]]);
const state = (query: string) => readChartState(new URLSearchParams(query), expense);

describe('V-6 generic chart options', () => {
  it('V-6 groups by choice, yes/no, reference and date fields the caller may filter on; measures number fields', () => {
    expect(groupFields(expense).map((f) => f.name)).toEqual(['createdAt', 'category', 'spentOn', 'owner', 'paid']);
    expect(measureFields(expense).map((f) => f.name)).toEqual(['amount', 'nights']);
  });

  it('V-6 reads the URL, falling back to a count by the first own field for anything it does not know', () => {
    expect(state('')).toMatchObject({ by: { name: 'category' }, fn: 'count', of: undefined, kind: 'bar' });
    expect(state('by=secret&metric=sum:title&kind=radar')).toMatchObject({ by: { name: 'category' }, fn: 'count', kind: 'bar' });
    const s = state('by=spentOn&bucket=year&metric=avg:amount');
    expect(s).toMatchObject({ bucket: 'year', fn: 'avg', of: { name: 'amount' }, kind: 'line' });
    expect([groupExprs(s, meta), metricExpr(s)]).toEqual([['year(spentOn)'], 'avg(amount)']);
  });

  it('V-6 a reference is grouped by its id and, where the caller may filter on it, the target\'s label', () => {
    expect(groupExprs(state('by=owner&metric=sum:nights'), meta)).toEqual(['owner', 'owner.name']);
    expect(groupExprs(state('by=owner'), new Map([['user', module('user', [field('name', 'string', { filterable: false })])]]))).toEqual(['owner']);
    expect(groupExprs(state('by=owner'), new Map())).toEqual(['owner']);
  });
});
