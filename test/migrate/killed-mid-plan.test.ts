/**
 * MariaDB's DDL commits by itself, so a plan keeps a journal: a process killed between two of
 * its operations leaves the plan `applying`, and the next process to start finishes it (when
 * readers could already see part of it) or rolls it back (when they could not). Each case kills
 * a real child process with SIGKILL right after one operation. SQLite needs none of this: a
 * plan is one transaction there.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSecondStratum, startTestApp, type Client, type TestApp } from '../support/app.js';
import { testDialects } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const itemDef = {
  $id: 'item', type: 'object',
  properties: {
    name: { type: 'string', maxLength: 30 },
    qty: { type: 'string', maxLength: 10 },
    note: { type: 'string', maxLength: 40 },
  },
  required: ['name'],
};

/** qty becomes a whole number, name is renamed to title, note is dropped. */
const wanted = {
  $id: 'item', type: 'object',
  properties: { title: { type: 'string', maxLength: 30 }, qty: { type: 'integer' } },
  required: ['title'],
  'x-migration': { renames: { name: 'title' } },
};

function dieAfter(databaseUrl: string, label: string): Promise<{ code: number | null; signal: string | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/migrate/support/die-mid-plan.ts', databaseUrl, 'item', label, JSON.stringify(wanted)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, output })));
}

describe.runIf(testDialects().includes('mariadb'))('a plan killed between steps [mariadb]', () => {
  let app: TestApp;
  let admin: Client;

  beforeAll(async () => {
    app = await startTestApp('mariadb');
    admin = await app.admin();
  });
  afterAll(() => app?.close());

  async function freshItems(): Promise<number[]> {
    const exists = (await admin.get('/api/modules/item')).status === 200;
    if (exists) {
      const plan = expectStatus(await admin.delete('/api/modules/item?dryRun=true'), 200).body.plan;
      expectStatus(await admin.delete(`/api/modules/item?confirm=${plan.token}`), 200);
    }
    expectStatus(await admin.post('/api/modules', itemDef), 201);
    return [await create(admin, 'item', { name: 'bolt', qty: '12', note: 'a' }), await create(admin, 'item', { name: 'nut', qty: '7', note: 'b' })];
  }

  const columns = async () => Object.keys(await app.stratum.db.sequelize.getQueryInterface().describeTable('item')).sort();
  const states = async () => (await app.stratum.db.all({ sql: 'SELECT state, phase FROM _stratum_schema_changes WHERE module = $1 ORDER BY id', params: ['item'] })).map((r) => `${r.state}/${r.phase}`);

  it('killed while preparing (values converted beside the old column): rolled back at the next start', async () => {
    const ids = await freshItems();
    const killed = await dieAfter(app.databaseUrl, 'fill qty');
    expect(killed.signal, killed.output).toBe('SIGKILL');
    expect((await states()).at(-1)).toBe('applying/prepare');
    expect((await columns()).some((c) => c.startsWith('_s'))).toBe(true);
    const next = await openSecondStratum(app);
    try {
      expect((await states()).at(-1)).toBe('rolled-back/prepare');
      expect(await columns()).toEqual(['createdAt', 'createdBy', 'id', 'name', 'note', 'qty', 'updatedAt', 'updatedBy', 'version']);
      const other = await next.admin();
      expect((await other.get('/api/modules/item')).body.definition).toEqual(itemDef);
      expect((await other.get(`/api/data/item/${ids[0]}`)).body).toMatchObject({ name: 'bolt', qty: '12', note: 'a' });
      expect((await admin.get('/api/modules/trash')).body.data.filter((e: any) => e.module === 'item')).toEqual([]);
    } finally {
      await next.stratum.close();
    }
  });

  for (const label of ['catch up', 'drop note', 'swap qty', 'rename name', 'definitions']) {
    it(`killed while switching (after "${label}"): finished at the next start, nothing lost`, async () => {
      const ids = await freshItems();
      const killed = await dieAfter(app.databaseUrl, label);
      expect(killed.signal, killed.output).toBe('SIGKILL');
      expect((await states()).at(-1)).toBe('applying/switch');
      const next = await openSecondStratum(app);
      try {
        expect((await states()).at(-1)).toBe('applied/switch');
        expect(await columns()).toEqual(['createdAt', 'createdBy', 'id', 'qty', 'title', 'updatedAt', 'updatedBy', 'version']);
        const other = await next.admin();
        const { 'x-migration': _m, ...stored } = wanted;
        expect((await other.get('/api/modules/item')).body.definition).toEqual(stored);
        expect((await other.get(`/api/data/item/${ids[0]}`)).body).toMatchObject({ title: 'bolt', qty: 12 });
        expect((await other.get(`/api/data/item/${ids[1]}`)).body).toMatchObject({ title: 'nut', qty: 7 });
        // The dropped values are in the trash, once.
        const trash = (await other.get('/api/modules/trash')).body.data.filter((e: any) => e.module === 'item' && e.kind === 'field');
        expect(trash.map((e: any) => [e.field, e.rows])).toEqual([['note', 2]]);
      } finally {
        await next.stratum.close();
      }
      // Clean the trash for the next case.
      for (const e of (await admin.get('/api/modules/trash')).body.data) {
        const asked = await admin.delete(`/api/modules/trash/${e.id}`);
        expectStatus(await admin.delete(`/api/modules/trash/${e.id}?confirm=${asked.body.error.token}`), 204);
      }
    });
  }
});
