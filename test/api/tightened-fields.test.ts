import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Stratum } from '../../core/stratum.js';
import { describeEachDialect } from '../support/databases.js';
import { ADMIN_PASSWORD, startTestApp, type Client, type TestApp } from '../support/app.js';

/**
 * PUT /api/modules/<m> may tighten a field (required, fewer enum values, a higher minimum, a
 * lower maximum) only while no stored record breaks it: otherwise stored records would fall
 * outside their own definition. The plan's misfits name the records.
 */
describeEachDialect('tightening a field that holds data', (dialect) => {
  let app: TestApp;
  let admin: Client;
  const base = {
    $id: 'gadget',
    type: 'object',
    properties: {
      label: { type: 'string', maxLength: 20 },
      state: { type: 'string', enum: ['new', 'used', 'broken'] },
      weight: { type: 'number', minimum: 0, maximum: 100 },
    },
  };
  const put = (def: object) => admin.put('/api/modules/gadget', def);

  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    expect((await admin.post('/api/modules', base)).status).toBe(201);
    await admin.post('/api/data/gadget', { state: 'broken', weight: 5 });
    await admin.post('/api/data/gadget', { label: 'b', state: 'new', weight: 90 });
  });
  afterAll(async () => app?.close());

  it('making a field required is refused while records lack it, with the count and where', async () => {
    const r = await put({ ...base, required: ['label'] });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('misfits');
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: '/properties/label', code: 'misfits', message: expect.stringContaining('1 stored value of "label"') })]);
    expect(r.body.error.plan.steps[0].examples).toEqual([expect.objectContaining({ value: null, reason: 'is empty, and the field is required' })]);
    expect((await admin.get('/api/modules/gadget')).body.definition.required).toBeUndefined();
  });

  it('removing an enum value in use, or narrowing a range past stored values, is refused', async () => {
    const r = await put({ ...base, properties: { ...base.properties, state: { type: 'string', enum: ['new', 'used'] }, weight: { type: 'number', minimum: 10, maximum: 50 } } });
    expect(r.status).toBe(409);
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/properties/state', '/properties/weight']);
    const steps = r.body.error.plan.steps.map((s: { field: string; keyword: string; misfits: number }) => `${s.field} ${s.keyword} ${s.misfits}`);
    expect(steps).toEqual(['state enum 1', 'weight minimum, maximum 2']);
  });

  it('the same changes are accepted once no record breaks them', async () => {
    const list = (await admin.get('/api/data/gadget')).body.data as { id: number; label: string | null }[];
    for (const g of list) await admin.patch(`/api/data/gadget/${g.id}`, { label: g.label ?? 'a', state: 'new', weight: 20 });
    const r = await put({ ...base, required: ['label'], properties: { ...base.properties, state: { type: 'string', enum: ['new', 'used'] }, weight: { type: 'number', minimum: 10, maximum: 50 } } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await admin.post('/api/data/gadget', { state: 'new', weight: 20 })).status).toBe(400);
  });

  it('a metadata file that tightens a field stored records break is refused at start, naming the file\'s module', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratum-tightened-'));
    const widget = { $id: 'widget', type: 'object', properties: { label: { type: 'string', maxLength: 20 } } };
    writeFileSync(join(dir, 'widget.json'), JSON.stringify(widget));
    const filed = await startTestApp(dialect, { metadataDir: dir });
    try {
      await (await filed.admin()).post('/api/data/widget', {});
      writeFileSync(join(dir, 'widget.json'), JSON.stringify({ ...widget, required: ['label'] }));
      await expect(Stratum.open({ databaseUrl: filed.databaseUrl, adminPassword: ADMIN_PASSWORD, metadataDir: dir })).rejects.toThrow(/widget|label/);
    } finally {
      await filed.close();
    }
  });
});
