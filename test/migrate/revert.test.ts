/**
 * Reverting a definition change from the change log (`POST /api/modules/<m>/changes/<id>/revert`):
 * a new plan back to the definition before that change, which brings names and values back,
 * follows the module through later renames, and asks for the trash before re-adding dropped
 * values. And a Stratum with a migrations folder writes every applied plan there as a file.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../core/http-app.js';
import { revertMigration, type AppliedChange } from '../../core/schema/revert-migration.js';
import { Stratum } from '../../core/stratum.js';
import { ADMIN_PASSWORD, Client, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const contactDef = {
  $id: 'contact',
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 30 },
    phone: { type: 'string', maxLength: 30 },
    score: { type: 'string', maxLength: 20 },
    rating: { type: 'string', enum: ['gold', 'silver', 'bronze'] },
  },
  required: ['name'],
  'x-list': { columns: ['name', 'phone'], search: ['name', 'phone'] },
};

type Def = Record<string, any> & { properties: Record<string, any> };

const seed = [
  { name: 'Ada', phone: '13800138000', score: '12', rating: 'gold' },
  { name: 'Bob', phone: '13900139000', score: '7', rating: 'bronze' },
  { name: 'Cy', score: '30', rating: 'silver' },
];

describeEachDialect('reverting a definition change', (dialect) => {
  let app: TestApp;
  let admin: Client;

  const rows = async (module = 'contact') => expectStatus(await admin.get(`/api/data/${module}?pageSize=100&sort=id`), 200).body.data as Record<string, any>[];
  const stored = async (module = 'contact') => expectStatus(await admin.get(`/api/modules/${module}`), 200).body.definition as Def;
  const changes = async (module = 'contact') => expectStatus(await admin.get(`/api/modules/${module}/changes`), 200).body.data as any[];
  /** PUT through the dry run's token, as the designer does. */
  const change = async (module: string, body: object) => {
    const dry = expectStatus(await admin.put(`/api/modules/${module}?dryRun=true`, body), 200).body.plan;
    return expectStatus(await admin.put(`/api/modules/${module}?confirm=${dry.token}`, body), 200).body;
  };
  const revert = async (module: string, id: number) => {
    const dry = expectStatus(await admin.post(`/api/modules/${module}/changes/${id}/revert?dryRun=true`), 200).body.plan;
    return expectStatus(await admin.post(`/api/modules/${module}/changes/${id}/revert?confirm=${dry.token}`), 200).body;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    expectStatus(await admin.post('/api/modules', contactDef), 201);
    for (const s of seed) await create(admin, 'contact', s);
  });
  afterAll(() => app?.close());

  it('a rename, a conversion and renamed choices come back: names, values and the definition', async () => {
    const next = structuredClone(contactDef) as Def;
    next.properties = {
      name: next.properties.name,
      mobile: next.properties.phone,
      score: { type: 'integer' },
      rating: { type: 'string', enum: ['gold', 'silver', 'platinum'] },
    };
    next['x-list'] = { columns: ['name', 'mobile'], search: ['name', 'mobile'] };
    await change('contact', { ...next, 'x-migration': { renames: { phone: 'mobile' }, valueMap: { rating: { bronze: 'platinum' } } } });
    expect((await rows()).map((r) => [r.mobile, r.score, r.rating])).toEqual([['13800138000', 12, 'gold'], ['13900139000', 7, 'platinum'], [null, 30, 'silver']]);
    const applied = (await changes()).at(-1);
    expect(applied).toMatchObject({ module: 'contact', origin: 'api', state: 'applied', migration: { renames: { phone: 'mobile' } } });

    const dry = expectStatus(await admin.post(`/api/modules/contact/changes/${applied.id}/revert?dryRun=true`), 200).body.plan;
    expect(dry).toMatchObject({ applicable: true, needsConfirmation: false });
    expect(dry.steps.map((s: any) => [s.kind, s.field])).toEqual([['rename-field', 'phone'], ['convert', 'score'], ['convert', 'rating']]);
    expect(dry.steps[0]).toMatchObject({ from: 'mobile', to: 'phone' });
    expect(dry.steps[2].message).toContain('"platinum" → "bronze"');
    expect((await rows())[0]).toHaveProperty('mobile');

    const reverted = await revert('contact', applied.id);
    expect(reverted.definition).toEqual(contactDef);
    expect(await stored()).toEqual(contactDef);
    expect((await rows()).map((r) => [r.name, r.phone, r.score, r.rating])).toEqual([
      ['Ada', '13800138000', '12', 'gold'], ['Bob', '13900139000', '7', 'bronze'], ['Cy', null, '30', 'silver'],
    ]);
    // The revert is a change of its own, in the log.
    expect((await changes()).at(-1)).toMatchObject({ origin: 'revert', migration: { renames: { mobile: 'phone' }, valueMap: { rating: { platinum: 'bronze' } } } });
    const found = expectStatus(await admin.get('/api/data/contact?q=13900'), 200).body.data;
    expect(found.map((r: any) => r.name)).toEqual(['Bob']);
  });

  it('follows the module through later changes: a module rename and a field rename since are undone too', async () => {
    const renamedModule = { ...structuredClone(contactDef), $id: 'person' };
    await change('contact', { ...renamedModule, 'x-migration': { moduleRename: 'person' } });
    const first = (await changes('person')).at(-1);
    expect(first).toMatchObject({ module: 'contact', newName: 'person' });
    const fullName = structuredClone(renamedModule) as Def;
    fullName.properties = { fullName: fullName.properties.name, phone: fullName.properties.phone, score: fullName.properties.score, rating: fullName.properties.rating };
    fullName.required = ['fullName'];
    fullName['x-list'] = { columns: ['fullName', 'phone'], search: ['fullName', 'phone'] };
    await change('person', { ...fullName, 'x-migration': { renames: { name: 'fullName' } } });
    expect((await rows('person')).map((r) => r.fullName)).toEqual(['Ada', 'Bob', 'Cy']);

    const dry = expectStatus(await admin.post(`/api/modules/person/changes/${first.id}/revert?dryRun=true`), 200).body.plan;
    expect(dry.steps.filter((s: any) => s.kind.startsWith('rename')).map((s: any) => [s.kind, s.from, s.to])).toEqual([
      ['rename-module', 'person', 'contact'], ['rename-field', 'fullName', 'name'],
    ]);
    const reverted = await revert('person', first.id);
    expect(reverted.name).toBe('contact');
    expect(await stored('contact')).toEqual(contactDef);
    expect((await rows('contact')).map((r) => r.name)).toEqual(['Ada', 'Bob', 'Cy']);
    expectStatus(await admin.get('/api/modules/person'), 404);
  });

  it('a dropped field comes back with its values only from the trash: restore first, then revert', async () => {
    const without = structuredClone(contactDef) as Def;
    delete without.properties.score;
    await change('contact', without);
    const dropped = (await changes()).at(-1);
    const refused = await admin.post(`/api/modules/contact/changes/${dropped.id}/revert`);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 400, code: 'change_unsupported' });
    expect(refused.body.error.details[0]).toMatchObject({ path: '/properties/score', code: 'restore_first' });
    const entry = expectStatus(await admin.get('/api/modules/trash'), 200).body.data.find((e: any) => e.changeId === dropped.id);
    expect(refused.body.error.details[0].hint).toContain(`/api/modules/trash/${entry.id}/restore`);
    expect(await stored()).toEqual(without);

    expectStatus(await admin.post(`/api/modules/trash/${entry.id}/restore`), 200);
    await revert('contact', dropped.id);
    expect(await stored()).toEqual(contactDef);
    expect((await rows()).map((r) => r.score)).toEqual(['12', '7', '30']);
  });

  it('reverting an added field removes it again, and needs the token for its values', async () => {
    const withNote = structuredClone(contactDef) as Def;
    withNote.properties.note = { type: 'string', maxLength: 40 };
    await change('contact', withNote);
    const added = (await changes()).at(-1);
    const id = (await rows())[0]!.id;
    expectStatus(await admin.patch(`/api/data/contact/${id}`, { note: 'kept in the trash' }), 200);
    const unconfirmed = await admin.post(`/api/modules/contact/changes/${added.id}/revert`);
    expect({ status: unconfirmed.status, code: unconfirmed.body.error.code }).toEqual({ status: 409, code: 'confirmation_required' });
    await revert('contact', added.id);
    expect(await stored()).toEqual(contactDef);
    expect(expectStatus(await admin.get('/api/modules/trash'), 200).body.data[0]).toMatchObject({ kind: 'field', module: 'contact', field: 'note', rows: 1 });
  });

  it('answers 404 for a change of another module or none, and refuses a module defined in files', async () => {
    const id = (await changes()).at(-1).id;
    expectStatus(await admin.post(`/api/modules/user/changes/${id}/revert?dryRun=true`), 404);
    expectStatus(await admin.post('/api/modules/contact/changes/99999/revert?dryRun=true'), 404);
    expectStatus(await admin.post('/api/modules/contact/changes/x/revert?dryRun=true'), 404);
  });
});

describeEachDialect('the migrations folder', (dialect) => {
  it('gets every applied plan as a file named by time, module and change id, holding its change log record', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stratum-migrations-'));
    const db = await createTestDatabase(dialect);
    const stratum = await Stratum.open({ databaseUrl: db.url, adminPassword: ADMIN_PASSWORD, metadataDir: mkdtempSync(path.join(os.tmpdir(), 'stratum-empty-metadata-')), builtinPlugins: false, migrationsDir: dir });
    try {
      const admin = await new Client(createApp(stratum)).login('admin', ADMIN_PASSWORD);
      expectStatus(await admin.post('/api/modules', contactDef), 201);
      expect(readdirSync(dir)).toEqual([]);
      const next = { ...structuredClone(contactDef), title: 'Contacts' };
      expectStatus(await admin.put('/api/modules/contact', next), 200);
      const [record] = expectStatus(await admin.get('/api/modules/contact/changes'), 200).body.data;
      const files = readdirSync(dir);
      expect(files).toEqual([`${record.at.replace(/\D/g, '').slice(0, 14)}-contact-${record.id}.json`]);
      expect(files[0]).toMatch(/^\d{14}-contact-\d+\.json$/);
      expect(JSON.parse(readFileSync(path.join(dir, files[0]!), 'utf8'))).toEqual(record);
    } finally {
      await stratum.close();
      await db.drop();
    }
  });
});


describe('the migration back (pure)', () => {
  const def = (props: Record<string, object>, $id = 'm') => ({ $id, type: 'object', properties: props });
  const choice = (...values: string[]) => ({ type: 'string', enum: values });

  it('maps renamed choices back, swaps included, but not choices merged into one or onto a kept one', () => {
    const change = (map: Record<string, string>, before: string[], after: string[]): AppliedChange => ({
      module: 'm', newName: 'm', before: def({ r: choice(...before) }), after: def({ r: choice(...after) }), migration: { valueMap: { r: map } },
    });
    const back = (c: AppliedChange) => revertMigration([c], c.after, 'm').valueMap;
    expect(back(change({ bronze: 'platinum' }, ['gold', 'bronze'], ['gold', 'platinum']))).toEqual({ r: { platinum: 'bronze' } });
    expect(back(change({ a: 'b', b: 'a' }, ['a', 'b'], ['a', 'b']))).toEqual({ r: { b: 'a', a: 'b' } });
    expect(back(change({ a: 'c', b: 'c' }, ['a', 'b'], ['c']))).toBeUndefined();
    expect(back(change({ bronze: 'silver' }, ['silver', 'bronze'], ['silver']))).toBeUndefined();
  });

  it('follows names and values through every change since, back to the first one\'s before', () => {
    const first: AppliedChange = {
      module: 'm', newName: 'n', before: def({ phone: { type: 'string' }, r: choice('x', 'y') }), after: def({ mobile: { type: 'string' }, r: choice('x', 'z') }, 'n'),
      migration: { renames: { phone: 'mobile' }, moduleRename: 'n', valueMap: { r: { y: 'z' } } },
    };
    const second: AppliedChange = {
      module: 'n', newName: 'n', before: first.after, after: def({ cell: { type: 'string' }, rating: choice('x', 'w'), extra: { type: 'string' } }, 'n'),
      migration: { renames: { mobile: 'cell', r: 'rating' }, valueMap: { rating: { z: 'w' } } },
    };
    expect(revertMigration([first, second], second.after, 'n')).toEqual({
      renames: { cell: 'phone', rating: 'r' }, moduleRename: 'm', valueMap: { r: { w: 'y' } },
    });
  });
});
