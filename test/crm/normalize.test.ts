/**
 * C-2: the keys the CRM finds duplicates on. The same person typed differently must give the
 * same stored phone and QQ number; different people must not.
 */
import { describe, expect, it } from 'vitest';
import { normalizedContact, normalizePhone, normalizeQq } from '../../modules/crm/normalize.js';

describe('CRM phone and QQ normalization (C-2)', () => {
  it('a mainland mobile number, however it is typed, is its 11 digits', () => {
    for (const typed of ['13800138000', '138 0013 8000', '138-0013-8000', '+86 138-0013-8000', '+8613800138000', '0086 138 0013 8000', '86 13800138000', ' (+86) 138.0013.8000 ']) {
      expect(normalizePhone(typed), typed).toBe('13800138000');
    }
  });

  it('other numbers keep their digits, and a leading + when they had one', () => {
    expect(normalizePhone('010-8888 6666')).toBe('01088886666');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    // Not a mobile after the 86: kept whole rather than guessed at.
    expect(normalizePhone('+86 10 8888 6666')).toBe('+861088886666');
    expect(normalizePhone('13800138001')).not.toBe(normalizePhone('13800138000'));
  });

  it('a QQ number loses its spaces and dashes', () => {
    expect(normalizeQq('1002 003-00')).toBe('100200300');
    expect(normalizeQq('100200300')).toBe('100200300');
  });

  it('a payload keeps its other fields, and null or absent numbers stay as they were', () => {
    expect(normalizedContact({ name: 'x', phone: '+86 138 0013 8000', qq: null })).toEqual({ name: 'x', phone: '13800138000', qq: null });
    expect(normalizedContact({ name: 'y' })).toEqual({ name: 'y' });
  });
});
