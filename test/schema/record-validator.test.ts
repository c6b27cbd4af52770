import { describe, expect, it } from 'vitest';
import { buildModule } from '../../core/schema/build-graph.js';
import { recordValidator } from '../../core/schema/record-validator.js';

const order = buildModule({
  $id: 'order',
  type: 'object',
  properties: {
    number: { type: 'string', maxLength: 32 },
    amount: { type: 'number', minimum: 0, 'x-precision': 10, 'x-scale': 2 },
    orderDate: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['open', 'paid'], default: 'open' },
    customer: { type: 'integer', 'x-ref': 'customer' },
    note: { type: 'string' },
    code: { type: 'string', maxLength: 8, readOnly: true },
    tags: { type: 'array', items: { type: 'integer' }, 'x-ref': 'tag' },
    lines: { type: 'array', 'x-inverse': 'line.order' },
  },
  required: ['number', 'amount', 'status'],
});
const { create, update } = recordValidator(order);

describe('recordValidator', () => {
  it('accepts a valid payload, and null on fields that are not required', () => {
    expect(create({ number: 'A-1', amount: 12.5, orderDate: '2024-05-31', customer: 3, tags: [1, 2] })).toEqual([]);
    expect(create({ number: 'A-1', amount: 0, orderDate: null, customer: null, note: null, tags: null })).toEqual([]);
  });

  it('gives one detail per faulty field, in words a user understands', () => {
    expect(
      create({ number: 'x'.repeat(40), amount: -1, orderDate: '31.05.2024', customer: 0, tags: [1, 1, 'a'] }),
    ).toEqual([
      { path: '/number', message: 'must be at most 32 characters', code: 'too_long' },
      { path: '/amount', message: 'must be at least 0', code: 'below_minimum' },
      { path: '/orderDate', message: 'must be a date like 2024-05-31', code: 'format' },
      { path: '/customer', message: 'must be the id of a customer record (an integer of at least 1)', code: 'ref' },
      { path: '/tags/2', message: 'must be the id of a tag record (an integer of at least 1)', code: 'ref' },
    ]);
  });

  it('requires required fields on create only, except those with a default', () => {
    expect(create({})).toEqual([
      { path: '/number', message: 'is required', code: 'required' },
      { path: '/amount', message: 'is required', code: 'required' },
    ]);
    expect(update({})).toEqual([]);
    expect(update({ number: null })).toEqual([{ path: '/number', message: 'is required', code: 'required' }]);
  });

  it('lists the allowed values of an enum', () => {
    expect(update({ status: 'closed' })).toEqual([
      { path: '/status', message: 'must be one of: open, paid', code: 'enum' },
    ]);
    expect(update({ status: 7 })).toEqual([{ path: '/status', message: 'must be one of: open, paid', code: 'enum' }]);
  });

  it('refuses unknown fields, naming the known ones', () => {
    expect(update({ colour: 'red' })).toEqual([
      {
        path: '/colour',
        message: 'unknown field; known fields are number, amount, orderDate, status, customer, note, tags, version',
        code: 'unknown_field',
      },
    ]);
  });

  it('refuses system fields, read-only fields and one-to-many lists', () => {
    const details = update({ id: 1, createdAt: '2024-01-01T00:00:00Z', code: 'X', lines: [] });
    expect(details.map((d) => [d.path, d.message])).toEqual([
      ['/id', 'is read-only'],
      ['/createdAt', 'is read-only'],
      ['/code', 'is read-only'],
      ['/lines', 'is read-only'],
    ]);
  });

  it('accepts version as the lock token on update only', () => {
    expect(update({ version: 3, note: 'x' })).toEqual([]);
    expect(update({ version: 0 })).toEqual([{ path: '/version', message: 'must be at least 1', code: 'below_minimum' }]);
    expect(create({ number: 'A', amount: 1, version: 3 })).toEqual([
      { path: '/version', message: 'is read-only (send version only when updating)', code: 'read_only' },
    ]);
  });

  it('refuses decimals that do not fit the column', () => {
    expect(update({ amount: 1e8 })).toEqual([
      { path: '/amount', message: 'must be less than 100000000', code: 'above_maximum' },
    ]);
    expect(update({ amount: 99999999.99 })).toEqual([]);
  });

  it('refuses a payload that is not a JSON object', () => {
    for (const payload of [null, [], 'x', 3]) {
      expect(create(payload)).toEqual([{ path: '', message: 'must be a JSON object of field values', code: 'type' }]);
    }
  });

  it('compiles once per module', () => {
    expect(recordValidator(order)).toBe(recordValidator(order));
  });
});
