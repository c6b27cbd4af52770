/**
 * Definition files in metadata/ change through the same planner at start: a rename and a
 * conversion the file's x-migration names are applied with the data; a change that loses data
 * stops the start with the dry run's token, and goes through once the file carries it; a file
 * started again with its x-migration changes nothing more.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Stratum } from '../../core/stratum.js';
import { ADMIN_PASSWORD, openSecondStratum, startTestApp, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

describeEachDialect('definition files change through the planner', (dialect) => {
  let app: TestApp;
  let dir: string;
  let ids: number[];
  const gadget = {
    $id: 'gadget', type: 'object',
    properties: { name: { type: 'string', maxLength: 20 }, size: { type: 'string', maxLength: 10 }, color: { type: 'string', maxLength: 10 } },
    'x-list': { columns: ['name', 'size'], search: ['name'] },
  };
  const write = (def: object) => writeFileSync(join(dir, 'gadget.json'), JSON.stringify(def));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stratum-files-'));
    write(gadget);
    app = await startTestApp(dialect, { metadataDir: dir });
    const admin = await app.admin();
    ids = [await create(admin, 'gadget', { name: 'knob', size: '3', color: 'red' }), await create(admin, 'gadget', { name: 'dial', size: '12' })];
  });
  afterAll(() => app?.close());

  it('a rename and a conversion in the file are applied at start, with the values', async () => {
    const renamed = {
      ...gadget,
      properties: { label: gadget.properties.name, size: { type: 'integer' }, color: gadget.properties.color },
      'x-list': { columns: ['label', 'size'], search: ['label'] },
      'x-migration': { renames: { name: 'label' } },
    };
    write(renamed);
    const lines: string[] = [];
    const next = await openSecondStratum(app, { metadataDir: dir, log: (l) => lines.push(l) });
    try {
      const admin = await next.admin();
      expect(expectStatus(await admin.get(`/api/data/gadget/${ids[1]}`), 200).body).toMatchObject({ label: 'dial', size: 12 });
      const { 'x-migration': _m, ...stored } = renamed;
      expect(expectStatus(await admin.get('/api/modules/gadget'), 200).body).toMatchObject({ source: 'file', definition: stored });
      expect(lines.join('\n')).toContain('Changed the module "gadget" as its file says: Rename the field "name" to "label"; Convert "size"');
    } finally {
      await next.stratum.close();
    }
    // Started again with the same file: nothing more to do.
    const again = await openSecondStratum(app, { metadataDir: dir });
    await again.stratum.close();
  });

  it('a file that drops a field stops the start with the token, and goes through with it', async () => {
    const without = {
      ...gadget,
      properties: { label: gadget.properties.name, size: { type: 'integer' } },
      'x-list': { columns: ['label', 'size'], search: ['label'] },
    };
    write(without);
    const refused = await Stratum.open({ databaseUrl: app.databaseUrl, adminPassword: ADMIN_PASSWORD, metadataDir: dir, builtinPlugins: false }).then(
      async (s) => {
        await s.close();
        return '';
      },
      (e: Error) => e.message,
    );
    expect(refused).toContain('confirmation_required gadget/x-migration/confirm');
    const token = /"confirm": "([0-9a-f]+)"/.exec(refused)![1]!;
    write({ ...without, 'x-migration': { confirm: token } });
    const next = await openSecondStratum(app, { metadataDir: dir });
    try {
      const admin = await next.admin();
      expect(expectStatus(await admin.get(`/api/data/gadget/${ids[0]}`), 200).body).not.toHaveProperty('color');
      expect(expectStatus(await admin.get('/api/modules/trash'), 200).body.data).toEqual([expect.objectContaining({ kind: 'field', module: 'gadget', field: 'color', rows: 1 })]);
    } finally {
      await next.stratum.close();
    }
  });
});
