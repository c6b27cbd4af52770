import { describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../core/schema/check-definitions.js';

const department = {
  $id: 'department',
  type: 'object',
  properties: { name: { type: 'string', maxLength: 100 } },
  required: ['name'],
};

const salesman = {
  $id: 'salesman',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100 },
    department: { type: 'integer', 'x-ref': 'department', 'x-on-delete': 'set-null' },
    orders: { type: 'array', 'x-inverse': 'order.salesman', readOnly: true },
  },
  'x-scope-paths': { department: 'department' },
};

const customer = {
  $id: 'customer',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200, 'x-i18n': { zh: '名称' } },
    email: { type: 'string', format: 'email' },
    salesman: { type: 'integer', 'x-ref': 'salesman' },
    tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'department' },
  },
  'x-unique': [['name', 'salesman']],
  'x-index': [['email']],
};

// The example of docs/API.md, plus a scope path through a ref.
const order = {
  $id: 'order',
  title: 'Order',
  'x-i18n': { zh: { title: '订单' } },
  type: 'object',
  properties: {
    number: { type: 'string', maxLength: 32, 'x-unique': true },
    amount: { type: 'number', minimum: 0 },
    orderDate: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['open', 'paid'], default: 'open' },
    salesman: { type: 'integer', 'x-ref': 'salesman' },
    customer: { type: 'integer', 'x-ref': 'customer' },
  },
  required: ['number', 'amount'],
  'x-list': {
    columns: ['number', 'customer', 'customer.name', 'amount', 'orderDate'],
    search: ['number'],
    filters: ['status', 'orderDate', 'salesman.department.name'],
    sort: '-orderDate,number',
  },
  'x-scope-paths': { department: 'salesman.department', customer: 'customer.id' },
};

const valid = () => structuredClone([department, salesman, customer, order]) as Record<string, unknown>[];
const codes = (defs: unknown[], opts?: Parameters<typeof checkDefinitions>[1]) =>
  checkDefinitions(defs, opts).map((f) => [f.module, f.code, f.pointer]);

describe('checkDefinitions', () => {
  it('accepts the order example with its customer, salesman and department', () => {
    expect(checkDefinitions(valid())).toEqual([]);
  });

  it('reports every fault of a definition at once, each with a pointer and a hint', () => {
    const bad = {
      $id: 'invoice',
      type: 'object',
      colour: 'red',
      properties: {
        number: { type: 'string', maxLength: 0 },
        total: { type: 'integer', maxLength: 10 },
        kind: { type: 'decimal' },
        rate: { type: 'number', 'x-precision': 5, 'x-scale': 6 },
        note: { type: 'string', 'x-ref': 'customer' },
      },
      required: ['number', 'dueDate'],
      additionalProperties: true,
    };
    const findings = checkDefinitions([bad]);
    expect(findings.map((f) => [f.code, f.pointer]).sort()).toEqual(
      [
        ['definition_unknown_keyword', '/colour'],
        ['property_invalid', '/properties/number/maxLength'],
        ['property_misplaced_keyword', '/properties/total/maxLength'],
        ['property_bad_type', '/properties/kind/type'],
        ['scale_invalid', '/properties/rate/x-scale'],
        ['property_misplaced_keyword', '/properties/note/x-ref'],
        ['required_unknown', '/required/1'],
        ['definition_invalid', '/additionalProperties'],
      ].sort(),
    );
    for (const f of findings) {
      expect(f.module).toBe('invoice');
      expect(f.message).not.toBe('');
      expect(f.hint).not.toBe('');
    }
    expect(findings.find((f) => f.pointer === '/properties/total/maxLength')?.message).toBe(
      "'maxLength' does not apply to an integer property",
    );
  });

  it('names a definition without a valid $id by its index, and points at the name', () => {
    expect(codes([{ $id: 'Order', type: 'object', properties: {} }, 42, { type: 'object', properties: {} }])).toEqual([
      ['#0', 'name_invalid', '/$id'],
      ['#1', 'definition_invalid', ''],
      ['#2', 'definition_missing_keyword', '/$id'],
    ]);
  });

  it('refuses refs to modules that are not defined, unless they are installed already', () => {
    const defs = valid().filter((d) => d.$id !== 'customer');
    expect(codes(defs)).toEqual([
      ['order', 'ref_unknown', '/properties/customer/x-ref'],
      ['order', 'list_unknown', '/x-list/columns/2'],
      ['order', 'scope_path_invalid', '/x-scope-paths/customer'],
    ]);
    expect(checkDefinitions(defs, { existing: new Map([['customer', customer]]) })).toEqual([]);
  });

  it('checks that x-inverse names a ref back to this module', () => {
    const defs = valid();
    const props = defs[1]!.properties as Record<string, unknown>;
    props.orders = { type: 'array', 'x-inverse': 'order.customer' };
    props.invoices = { type: 'array', 'x-inverse': 'invoice.salesman' };
    props.lines = { type: 'array', 'x-inverse': 'order.lines' };
    expect(codes(defs)).toEqual([
      ['salesman', 'inverse_not_a_ref', '/properties/orders/x-inverse'],
      ['salesman', 'inverse_unknown', '/properties/invoices/x-inverse'],
      ['salesman', 'inverse_unknown', '/properties/lines/x-inverse'],
    ]);
  });

  it('refuses system fields and filter words as property names', () => {
    const defs = valid();
    Object.assign(defs[0]!.properties as object, { version: { type: 'integer' }, or: { type: 'boolean' } });
    expect(codes(defs)).toEqual([
      ['department', 'name_reserved', '/properties/version'],
      ['department', 'name_reserved', '/properties/or'],
    ]);
  });

  it('refuses two modules with one name, and a junction table that takes a module name', () => {
    const clash = { $id: 'customer_tags', type: 'object', properties: {} };
    expect(codes([...valid(), clash, { ...department, title: 'Again' }])).toEqual([
      ['customer', 'name_clash', '/properties/tags'],
      ['department', 'name_clash', '/$id'],
    ]);
    expect(codes([clash], { existing: new Map([['customer_tags', clash]]) })).toEqual([
      ['customer_tags', 'name_clash', '/$id'],
    ]);
  });

  it('refuses x-list entries that are neither fields nor ref paths', () => {
    const defs = valid();
    defs[3]!['x-list'] = {
      columns: ['number', 'nope', 'customer.nope', 'number.length'],
      sort: '-createdAt,-ghost',
    };
    expect(checkDefinitions(defs).map((f) => [f.pointer, f.message])).toEqual([
      ['/x-list/columns/1', "'nope': 'nope' is not a field of order"],
      ['/x-list/columns/2', "'customer.nope': 'nope' is not a field of customer"],
      ['/x-list/columns/3', "'number.length': 'number' of order is not a reference (x-ref)"],
      ['/x-list/sort', "'ghost': 'ghost' is not a field of order"],
    ]);
  });

  it('refuses scope paths that do not end at a ref to the named module or at its id', () => {
    const defs = valid();
    defs[3]!['x-scope-paths'] = { department: 'salesman', salesman: 'customer.id', ghost: 'salesman' };
    expect(codes(defs)).toEqual([
      ['order', 'scope_path_invalid', '/x-scope-paths/department'],
      ['order', 'scope_path_invalid', '/x-scope-paths/salesman'],
      ['order', 'scope_path_invalid', '/x-scope-paths/ghost'],
    ]);
  });

  it('refuses defaults that the property itself would refuse', () => {
    const defs = valid();
    Object.assign(defs[3]!.properties as object, {
      status: { type: 'string', enum: ['open', 'paid'], default: 'closed' },
      orderDate: { type: 'string', format: 'date', default: '2024-02-30' },
      amount: { type: 'number', minimum: 0, default: -1 },
    });
    expect(checkDefinitions(defs).map((f) => [f.code, f.pointer, f.message])).toEqual([
      ['default_invalid', '/properties/amount/default', 'the default -1 must be at least 0'],
      ['default_invalid', '/properties/orderDate/default', 'the default "2024-02-30" must be a valid date'],
      ['default_invalid', '/properties/status/default', 'the default "closed" must be one of: open, paid'],
    ]);
  });

  it('refuses unique and index sets that name unknown fields or relations', () => {
    const defs = valid();
    defs[2]!['x-unique'] = [['name', 'tags']];
    defs[2]!['x-index'] = [['createdAt'], ['phone']];
    expect(codes(defs)).toEqual([
      ['customer', 'unique_unknown', '/x-unique/0/1'],
      ['customer', 'index_unknown', '/x-index/1/0'],
    ]);
  });

  it('prefixes messages with the source of the definition when given', () => {
    const [f] = checkDefinitions([{ ...department, colour: 1 }], { sources: ['metadata/hr/department.json'] });
    expect(f?.message).toBe("metadata/hr/department.json: unknown keyword 'colour'");
  });
});
