/**
 * Each kind of step of a definition change, applied through `PUT /api/modules/<m>` to a module
 * that holds rows, asserting the rows afterwards: renames, widening, conversions with their
 * misfits, narrowing and tightening, choice values mapped, keys added and dropped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from '../support/app.js';
import { startTestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const contactDef = {
  $id: 'contact',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 30 },
    phone: { type: 'string', maxLength: 30 },
    score: { type: 'string', maxLength: 20 },
    rating: { type: 'string', enum: ['gold', 'silver', 'bronze'] },
    level: { type: 'integer' },
    amount: { type: 'number', 'x-precision': 12, 'x-scale': 2 },
    born: { type: 'string', format: 'date' },
    seen: { type: 'string', format: 'date-time' },
    note: { type: 'string' },
  },
  required: ['name'],
  'x-list': { columns: ['name', 'phone', 'score'], search: ['name', 'phone'], sort: 'name' },
};

type Def = Record<string, any> & { properties: Record<string, any>; required: string[] };

describeEachDialect('definition change steps', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let def: Def;
  const ids: number[] = [];

  const rows = async () => expectStatus(await admin.get('/api/data/contact?pageSize=100&sort=id'), 200).body.data as Record<string, any>[];
  const stored = async (name = 'contact') => expectStatus(await admin.get(`/api/modules/${name}`), 200).body.definition;
  const put = (body: object, query = '') => admin.put(`/api/modules/contact${query}`, body);
  const changed = (patch: (d: Def) => void): Def => {
    const next = structuredClone(def);
    patch(next);
    return next;
  };
  /** Applies a change through the dry run's token, as the designer does. */
  const apply = async (body: Def & { 'x-migration'?: object }, module = 'contact') => {
    const dry = expectStatus(await admin.put(`/api/modules/${module}?dryRun=true`, body), 200).body.plan;
    const r = await admin.put(`/api/modules/${module}?confirm=${dry.token}`, body);
    expectStatus(r, 200);
    const { 'x-migration': _m, ...kept } = body;
    def = { ...kept, $id: r.body.name } as Def;
    return dry;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    def = structuredClone(contactDef) as Def;
    expectStatus(await admin.post('/api/modules', def), 201);
    const seed = [
      { name: 'Ada', phone: '13800138000', score: '12', rating: 'gold', level: 3, amount: 10.5, born: '1990-01-02', seen: '2026-01-02T03:04:05.000Z', note: 'first' },
      { name: 'Bob', phone: '13900139000', score: ' 7 ', rating: 'silver', level: 4, amount: 20, born: '1991-02-03', seen: '2026-02-03T00:00:00.000Z', note: 'x'.repeat(40) },
      { name: 'Cy', phone: '+86 137', score: 'n/a', rating: 'bronze', level: 5, amount: 30.25, born: '1992-03-04', seen: '2026-03-04T10:00:00.000Z', note: 'third' },
      { name: 'Di', score: '4.5', rating: 'silver' },
    ];
    for (const s of seed) ids.push(await create(admin, 'contact', s));
  });
  afterAll(() => app?.close());

  it('a dry run answers the plan and writes nothing', async () => {
    const next = changed((d) => {
      d.properties.mobile = d.properties.phone;
      delete (d.properties as any).phone;
      d['x-list'] = { ...d['x-list'], columns: ['name', 'mobile', 'score'], search: ['name', 'mobile'] };
    });
    const r = expectStatus(await put({ ...next, 'x-migration': { renames: { phone: 'mobile' } } }, '?dryRun=true'), 200);
    const plan = r.body.plan;
    expect(plan.applicable).toBe(true);
    expect(plan.needsConfirmation).toBe(false);
    expect(plan.base).toMatch(/^[0-9a-f]{16}$/);
    expect(plan.steps.map((s: any) => s.kind)).toEqual(['rename-field', 'describe']);
    expect(plan.steps[0]).toMatchObject({ from: 'phone', to: 'mobile', keepsData: true, rows: 4, misfits: 0 });
    expect(await stored()).toEqual(def);
    expect((await rows()).map((x) => x.phone)).toEqual(['13800138000', '13900139000', '+86 137', null]);
  });

  it('renames a field: the values move with it, and list, search and filter use the new name', async () => {
    await apply({
      ...changed((d) => {
        d.properties.mobile = d.properties.phone;
        delete (d.properties as any).phone;
        d['x-list'] = { ...d['x-list'], columns: ['name', 'mobile', 'score'], search: ['name', 'mobile'] };
      }),
      'x-migration': { renames: { phone: 'mobile' } },
    });
    const after = await rows();
    expect(after.map((x) => x.mobile)).toEqual(['13800138000', '13900139000', '+86 137', null]);
    expect(after[0]).not.toHaveProperty('phone');
    const found = expectStatus(await admin.get('/api/data/contact?q=13900'), 200).body.data;
    expect(found.map((x: any) => x.name)).toEqual(['Bob']);
    expect(expectStatus(await admin.get(`/api/data/contact?filter=${encodeURIComponent(JSON.stringify({ mobile: { startsWith: '+86' } }))}`), 200).body.data.map((x: any) => x.name)).toEqual(['Cy']);
  });

  it('widens a text field: a longer value fits afterwards', async () => {
    const plan = await apply(changed((d) => (d.properties.name.maxLength = 200)));
    expect(plan.steps[0]).toMatchObject({ kind: 'widen', field: 'name', keepsData: true, rows: 4 });
    const long = 'L'.repeat(150);
    const id = await create(admin, 'contact', { name: long });
    expect(expectStatus(await admin.get(`/api/data/contact/${id}`), 200).body.name).toBe(long);
    expectStatus(await admin.delete(`/api/data/contact/${id}`), 204);
    expect((await rows()).map((x) => x.name)).toEqual(['Ada', 'Bob', 'Cy', 'Di']);
    // Still a required field's column: it refuses NULL as a new table's does (SQLite leaves that to the validator).
    const columns = await app.stratum.db.sequelize.getQueryInterface().describeTable('contact');
    expect(columns.name!.allowNull).toBe(dialect === 'sqlite');
  });

  it('a required field made optional takes records without it; made required again, it refuses them', async () => {
    await apply(changed((d) => (d.required = [])));
    const id = await create(admin, 'contact', { score: 'x' });
    expect(expectStatus(await admin.get(`/api/data/contact/${id}`), 200).body.name).toBeNull();
    const again = await put(changed((d) => (d.required = ['name'])));
    expect(again.body.error.code).toBe('misfits');
    expectStatus(await admin.delete(`/api/data/contact/${id}`), 204);
    await apply(changed((d) => (d.required = ['name'])));
    expect((await admin.post('/api/data/contact', { score: 'x' })).status).toBe(400);
    const columns = await app.stratum.db.sequelize.getQueryInterface().describeTable('contact');
    expect(columns.name!.allowNull).toBe(dialect === 'sqlite');
  });

  it('converts text to a whole number: misfits refuse by default, with examples; null needs the token', async () => {
    const next = changed((d) => (d.properties.score = { type: 'integer', minimum: 0 } as any));
    const dry = expectStatus(await put(next, '?dryRun=true'), 200).body.plan;
    const step = dry.steps.find((s: any) => s.kind === 'convert');
    expect(step).toMatchObject({ field: 'score', misfits: 2, rows: 4 });
    expect(step.examples).toEqual([
      { id: ids[2], value: 'n/a', reason: '"n/a" is not a number', code: 'not_a_number' },
      { id: ids[3], value: '4.5', reason: '4.5 is not a whole number', code: 'not_whole' },
    ]);
    expect(dry.applicable).toBe(false);
    const refused = await put(next);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 409, code: 'misfits' });
    expect(refused.body.error.plan.steps.find((s: any) => s.kind === 'convert').misfits).toBe(2);
    expect(refused.body.error.details[0]).toMatchObject({ path: '/properties/score', code: 'misfits' });
    expect((await rows()).map((x) => x.score)).toEqual(['12', ' 7 ', 'n/a', '4.5']);

    const emptying = { ...next, 'x-migration': { onMisfit: { score: 'null' } } };
    const unconfirmed = await put(emptying);
    expect({ status: unconfirmed.status, code: unconfirmed.body.error.code }).toEqual({ status: 409, code: 'confirmation_required' });
    expect(unconfirmed.body.error.plan.needsConfirmation).toBe(true);
    expect((await rows()).map((x) => x.score)).toEqual(['12', ' 7 ', 'n/a', '4.5']);
    const wrong = await put(emptying, '?confirm=not-the-token');
    expect(wrong.body.error.code).toBe('confirmation_required');
    await apply(emptying);
    expect((await rows()).map((x) => x.score)).toEqual([12, 7, null, null]);
    // A number now: it sorts and filters as one.
    expect(expectStatus(await admin.get(`/api/data/contact?filter=${encodeURIComponent(JSON.stringify({ score: { gt: 8 } }))}`), 200).body.data.map((x: any) => x.name)).toEqual(['Ada']);
  });

  it('converts a number to text and back; a whole number to a decimal and back', async () => {
    await apply(changed((d) => (d.properties.level = { type: 'number', 'x-precision': 10, 'x-scale': 2 } as any)));
    expect((await rows()).map((x) => x.level)).toEqual([3, 4, 5, null]);
    await apply(changed((d) => (d.properties.level = { type: 'string', maxLength: 10 } as any)));
    expect((await rows()).map((x) => x.level)).toEqual(['3', '4', '5', null]);
    await apply(changed((d) => (d.properties.level = { type: 'integer' } as any)));
    expect((await rows()).map((x) => x.level)).toEqual([3, 4, 5, null]);
    const plan = expectStatus(await put(changed((d) => (d.properties.amount = { type: 'integer' } as any)), '?dryRun=true'), 200).body.plan;
    expect(plan.steps[0]).toMatchObject({ kind: 'convert', misfits: 2 });
    expect(plan.steps[0].examples.map((e: any) => e.value)).toEqual([10.5, 30.25]);
  });

  it('narrows a length and lowers a precision only when every value fits', async () => {
    const narrow = changed((d) => (d.properties.note = { type: 'string', maxLength: 10 } as any));
    const dry = expectStatus(await put(narrow, '?dryRun=true'), 200).body.plan;
    expect(dry.steps[0]).toMatchObject({ kind: 'convert', field: 'note', misfits: 1 });
    expect(dry.steps[0].examples[0]).toMatchObject({ id: ids[1] });
    await apply(changed((d) => (d.properties.note = { type: 'string', maxLength: 50 } as any)));
    const shorter = expectStatus(await put(changed((d) => (d.properties.note = { type: 'string', maxLength: 20 } as any)), '?dryRun=true'), 200).body.plan;
    expect(shorter.steps[0]).toMatchObject({ kind: 'narrow', misfits: 1 });
    await apply(changed((d) => (d.properties.note = { type: 'string', maxLength: 40 } as any)));
    expect((await rows()).map((x) => x.note)).toEqual(['first', 'x'.repeat(40), 'third', null]);
    const precise = expectStatus(await put(changed((d) => ((d.properties.amount as any)['x-scale'] = 1)), '?dryRun=true'), 200).body.plan;
    expect(precise.steps[0]).toMatchObject({ kind: 'narrow', misfits: 1 });
    expect(precise.steps[0].examples[0].value).toBe(30.25);
  });

  it('tightens with a pattern, a minimum or required only when stored rows keep it', async () => {
    const pattern = changed((d) => ((d.properties as any).mobile.pattern = '^[0-9]+$'));
    const refused = await put(pattern);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 409, code: 'misfits' });
    const step = refused.body.error.plan.steps.find((s: any) => s.kind === 'tighten');
    expect(step).toMatchObject({ field: 'mobile', keyword: 'pattern', misfits: 1 });
    expect(step.examples[0]).toMatchObject({ id: ids[2], value: '+86 137' });
    const required = await put(changed((d) => d.required.push('rating', 'born')));
    expect(required.body.error.plan.steps.filter((s: any) => s.kind === 'tighten').map((s: any) => [s.field, s.misfits])).toEqual([['rating', 0], ['born', 1]]);
    // With a default for the empty ones.
    await apply({ ...changed((d) => { d.required.push('born'); (d.properties.born as any).default = '2000-01-01'; }), 'x-migration': { onMisfit: { born: 'default' } } });
    expect((await rows()).map((x) => x.born)).toEqual(['1990-01-02', '1991-02-03', '1992-03-04', '2000-01-01']);
  });

  it('renames, adds and removes choice values with a value map', async () => {
    const next = changed((d) => (d.properties.rating = { type: 'string', enum: ['gold', 'silver', 'platinum'] } as any));
    const dry = expectStatus(await put(next, '?dryRun=true'), 200).body.plan;
    expect(dry.steps.find((s: any) => s.field === 'rating')).toMatchObject({ kind: 'tighten', keyword: 'enum', misfits: 1 });
    await apply({ ...next, 'x-migration': { valueMap: { rating: { bronze: 'platinum' } } } });
    expect((await rows()).map((x) => x.rating)).toEqual(['gold', 'silver', 'platinum', 'silver']);
    await apply({ ...changed((d) => (d.properties.rating = { type: 'string', enum: ['gold', 'silver', 'platinum', 'a-much-longer-choice-value-than-32-chars'] } as any)) });
    expect((await rows()).map((x) => x.rating)).toEqual(['gold', 'silver', 'platinum', 'silver']);
  });

  it('converts a date to a date and time and back; the time lost needs the token', async () => {
    await apply(changed((d) => (d.properties.born = { type: 'string', format: 'date-time', default: '2000-01-01T00:00:00.000Z' } as any)));
    expect((await rows()).map((x) => x.born)).toEqual(['1990-01-02T00:00:00.000Z', '1991-02-03T00:00:00.000Z', '1992-03-04T00:00:00.000Z', '2000-01-01T00:00:00.000Z']);
    const back = changed((d) => (d.properties.seen = { type: 'string', format: 'date' } as any));
    const unconfirmed = await put(back);
    expect(unconfirmed.body.error.code).toBe('confirmation_required');
    expect(unconfirmed.body.error.plan.steps[0]).toMatchObject({ kind: 'convert', keepsData: false });
    await apply(back);
    expect((await rows()).map((x) => x.seen)).toEqual(['2026-01-02', '2026-02-03', '2026-03-04', null]);
  });

  it('turns text into long text and back', async () => {
    await apply(changed((d) => (d.properties.note = { type: 'string' } as any)));
    expect((await rows()).map((x) => x.note)).toEqual(['first', 'x'.repeat(40), 'third', null]);
    await apply(changed((d) => (d.properties.note = { type: 'string', maxLength: 100 } as any)));
    expect((await rows()).map((x) => x.note)).toEqual(['first', 'x'.repeat(40), 'third', null]);
  });

  it('adds a unique key only without duplicates, and drops it again', async () => {
    const unique = changed((d) => ((d.properties.rating as any)['x-unique'] = true));
    const refused = await put(unique);
    expect(refused.body.error.code).toBe('misfits');
    const step = refused.body.error.plan.steps.find((s: any) => s.kind === 'add-unique');
    expect(step).toMatchObject({ fields: ['rating'], misfits: 2 });
    expect(step.examples.map((e: any) => e.id)).toEqual([ids[1], ids[3]]);
    await apply(changed((d) => ((d.properties.name as any)['x-unique'] = true)));
    const dup = await admin.post('/api/data/contact', { name: 'Ada' });
    expect(dup.status).toBe(409);
    const plan = await apply(changed((d) => delete (d.properties.name as any)['x-unique']));
    expect(plan.steps.map((s: any) => s.kind)).toContain('drop-unique');
    const again = await create(admin, 'contact', { name: 'Ada' });
    expectStatus(await admin.delete(`/api/data/contact/${again}`), 204);
  });

  it('adds a required field with a default: every stored row gets it', async () => {
    const plan = await apply(changed((d) => {
      (d.properties as any).tier = { type: 'integer', default: 1 };
      d.required.push('tier');
    }));
    expect(plan.steps[0]).toMatchObject({ kind: 'add-field', field: 'tier' });
    expect((await rows()).map((x) => x.tier)).toEqual([1, 1, 1, 1]);
    const missing = await put(changed((d) => {
      (d.properties as any).code = { type: 'string', maxLength: 5 };
      d.required.push('code');
    }));
    expect(missing.body.error.code).toBe('misfits');
    expect(missing.body.error.details[0].hint).toContain('default');
  });

  it('turns a number into a reference and points a reference elsewhere: ids the target lacks are misfits', async () => {
    for (const name of ['team', 'squad']) expectStatus(await admin.post('/api/modules', { $id: name, type: 'object', properties: { name: { type: 'string', maxLength: 20 } } }), 201);
    for (let i = 1; i <= 5; i++) await create(admin, 'team', { name: `t${i}` });
    await create(admin, 'squad', { name: 's1' });
    await apply(changed((d) => (d.properties.level = { type: 'integer', 'x-ref': 'team' } as any)));
    expect((await rows()).map((x) => x.level)).toEqual([3, 4, 5, null]);
    expect((await admin.post('/api/data/contact', { name: 'Nobody', level: 99 })).status).toBe(400);
    const elsewhere = changed((d) => (d.properties.level = { type: 'integer', 'x-ref': 'squad' } as any));
    const dry = expectStatus(await put(elsewhere, '?dryRun=true'), 200).body.plan;
    expect(dry.steps[0]).toMatchObject({ kind: 'convert', field: 'level', misfits: 3 });
    expect(dry.steps[0].examples[0]).toEqual({ id: ids[0], value: 3, reason: 'there is no squad record #3', code: 'no_record', params: { module: 'squad', id: 3 } });
    await apply({ ...elsewhere, 'x-migration': { onMisfit: { level: 'null' } } });
    expect((await rows()).map((x) => x.level)).toEqual([null, null, null, null]);
    await apply(changed((d) => (d.properties.level = { type: 'integer' } as any)));
  });

  it('refuses a plan made on a definition that changed meanwhile', async () => {
    const dry = expectStatus(await put(changed((d) => (d.title = 'Contacts')), '?dryRun=true'), 200).body.plan;
    await apply(changed((d) => (d.title = 'People')));
    // The definition the dry run saw is gone: a token of it no longer applies (base differs).
    const r = await put(changed((d) => { d.title = 'Contacts'; delete (d.properties as any).note; }), `?confirm=${dry.token}`);
    expect(r.body.error.code).toBe('confirmation_required');
    expect(r.body.error.plan.base).not.toBe(dry.base);
  });

  describe('x-migration mistakes', () => {
    it('names the pointer of a rename of an unknown field, and writes nothing', async () => {
      const r = await put({ ...def, 'x-migration': { renames: { nope: 'name' }, onMisfit: { name: 'maybe' } } });
      expect(r.status).toBe(400);
      expect(r.body.error.details.map((d: any) => d.path)).toEqual(['/x-migration/renames/nope', '/x-migration/renames/nope', '/x-migration/onMisfit/name']);
      expect(await stored()).toEqual(def);
    });
    it('refuses a conversion that does not exist', async () => {
      const r = await put(changed((d) => (d.properties.note = { type: 'object', 'x-type': 'json' } as any)));
      expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 400, code: 'change_unsupported' });
      expect(r.body.error.details[0]).toMatchObject({ path: '/properties/note/type', code: 'conversion_unsupported' });
    });
  });
});
