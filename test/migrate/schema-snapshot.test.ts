/**
 * Definitions between environments: a snapshot of one Stratum applied to a second, fresh
 * database gives the same definitions and tables; a diff shows the plans (renames and
 * conversions as the snapshot's x-migration asks, drops with their token); apply refuses as PUT
 * does, and when the target changed since the diff. The same through `npm run schema` as a
 * child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../core/http-app.js';
import { TableOps } from '../../core/migrate/table-ops.js';
import { Stratum } from '../../core/stratum.js';
import { ADMIN_PASSWORD, Client, filterParam, startTestApp, type TestApp } from '../support/app.js';
import { createTestDatabase, describeEachDialect } from '../support/databases.js';
import { create, expectStatus } from '../api/crm.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

const regionDef = {
  $id: 'region', type: 'object', title: 'Region',
  properties: { code: { type: 'string', maxLength: 10, 'x-unique': true }, name: { type: 'string', maxLength: 40 } },
  required: ['code'],
};
const customerDef = {
  $id: 'customer', type: 'object',
  properties: {
    name: { type: 'string', maxLength: 40 },
    phone: { type: 'string', maxLength: 30 },
    score: { type: 'string', maxLength: 20 },
    region: { type: 'integer', 'x-ref': 'region' },
  },
  required: ['name'],
  'x-list': { columns: ['name', 'phone'], search: ['name', 'phone'] },
};
const visitDef = {
  $id: 'visit', type: 'object',
  properties: { customer: { type: 'integer', 'x-ref': 'customer' }, note: { type: 'string', maxLength: 60 }, on: { type: 'string', format: 'date' } },
  required: ['customer'],
};
const withVisits = { ...customerDef, properties: { ...customerDef.properties, visits: { type: 'array', 'x-inverse': 'visit.customer' } } };

type Snapshot = { version: number; modules: { name: string; source: string; base: string; definition: Record<string, any> }[]; against?: Record<string, string | null> };

const apiModules = (s: Snapshot) => s.modules.filter((m) => m.source === 'api');
const entry = (s: Snapshot, name: string) => s.modules.find((m) => m.name === name)!;
const withEntry = (s: Snapshot, name: string, patch: (def: Record<string, any>) => Record<string, any>): Snapshot =>
  ({ ...s, modules: s.modules.map((m) => (m.name === name ? { ...m, definition: patch(structuredClone(m.definition)) } : m)) });

describeEachDialect('schema snapshot, diff and apply', (dialect) => {
  let source: TestApp;
  let target: TestApp;
  let src: Client;
  let dst: Client;

  const snapshotOf = async (client: Client) => expectStatus(await client.get('/api/schema/snapshot'), 200).body as Snapshot;
  const diff = async (snapshot: object) => expectStatus(await dst.post('/api/schema/diff', snapshot), 200).body;
  const columns = (app: TestApp, table: string) => new TableOps(app.stratum.db).columns(table).then((c) => [...c].sort());

  beforeAll(async () => {
    [source, target] = await Promise.all([startTestApp(dialect), startTestApp(dialect)]);
    [src, dst] = await Promise.all([source.admin(), target.admin()]);
    for (const def of [regionDef, customerDef, visitDef]) expectStatus(await src.post('/api/modules', def), 201);
    expectStatus(await src.put('/api/modules/customer', withVisits), 200);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  it('a snapshot holds every stored module by name, built-in ones marked, each with the hash of its definition', async () => {
    const snapshot = await snapshotOf(src);
    expect(snapshot.version).toBe(1);
    const names = snapshot.modules.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    expect(entry(snapshot, 'user')).toMatchObject({ source: 'builtin' });
    expect(apiModules(snapshot).map((m) => m.name)).toEqual(['customer', 'region', 'visit']);
    expect(entry(snapshot, 'customer')).toMatchObject({ definition: withVisits, base: expect.stringMatching(/^[0-9a-f]{16}$/) });
    // Against the database it was taken from, nothing to do.
    expect(expectStatus(await src.post('/api/schema/diff', snapshot), 200).body).toMatchObject({ plans: [], skipped: [] });
  });

  it('applied to a fresh database, it makes the same definitions and tables, in the order the references allow', async () => {
    const snapshot = await snapshotOf(src);
    const planned = await diff(snapshot);
    // Customer and visit list each other: the customer is created without its visits, which follow.
    expect(planned.plans.map((p: any) => [p.action, p.module])).toEqual([['create', 'region'], ['create', 'customer'], ['create', 'visit'], ['change', 'customer']]);
    expect(planned.plans[3].plan.steps.map((s: any) => s.kind)).toContain('add-relation');
    expect(planned).toMatchObject({ against: { region: null, customer: null, visit: null }, applicable: true, needsConfirmation: false });
    const applied = expectStatus(await dst.post('/api/schema/apply', { snapshot, against: planned.against }), 200).body;
    expect(applied.applied.map((p: any) => p.module)).toEqual(['region', 'customer', 'visit', 'customer']);

    expect(apiModules(await snapshotOf(dst))).toEqual(apiModules(snapshot));
    for (const table of ['region', 'customer', 'visit']) expect(await columns(target, table)).toEqual(await columns(source, table));
    const region = await create(dst, 'region', { code: 'N', name: 'North' });
    const customer = await create(dst, 'customer', { name: 'Ada', phone: '138', score: '12', region });
    await create(dst, 'visit', { customer, note: 'first' });
    const read = expectStatus(await dst.get(`/api/data/customer/${customer}?fields=name,region.code`), 200).body;
    expect(read).toMatchObject({ name: 'Ada', region: { code: 'N' } });
    // The customer's visits, a relation the second step added, answer a filter.
    const visited = expectStatus(await dst.get(`/api/data/customer?${filterParam({ visits: { some: { note: 'first' } } })}`), 200).body.data;
    expect(visited.map((c: any) => c.id)).toEqual([customer]);
    expect((await diff(snapshot)).plans).toEqual([]);
  });

  it('a diff shows a rename and a conversion as the x-migration in the snapshot says; misfits and lost data refuse the apply', async () => {
    await create(dst, 'customer', { name: 'Bob', score: 'n/a' });
    const renamed = structuredClone(withVisits) as Record<string, any>;
    renamed.properties = { name: renamed.properties.name, mobile: renamed.properties.phone, score: { type: 'integer' }, region: renamed.properties.region, visits: renamed.properties.visits };
    renamed['x-list'] = { columns: ['name', 'mobile'], search: ['name', 'mobile'] };
    expectStatus(await src.put('/api/modules/customer', { ...renamed, 'x-migration': { renames: { phone: 'mobile' } } }), 200);
    const snapshot = await snapshotOf(src);

    // Without the rename, a snapshot says only that "phone" is gone and "mobile" is new.
    const guessed = (await diff(snapshot)).plans[0];
    expect(guessed.plan.steps.map((s: any) => s.kind)).toEqual(expect.arrayContaining(['add-field', 'drop-field']));
    expect(guessed.plan.needsConfirmation).toBe(true);

    const told = withEntry(snapshot, 'customer', (d) => ({ ...d, 'x-migration': { renames: { phone: 'mobile' } } }));
    const plan = (await diff(told)).plans[0];
    expect(plan).toMatchObject({ module: 'customer', action: 'change' });
    expect(plan.plan.steps.map((s: any) => [s.kind, s.field])).toEqual([['rename-field', 'mobile'], ['convert', 'score']]);
    expect(plan.plan.steps[1]).toMatchObject({ misfits: 1, rows: 2, examples: [{ value: 'n/a' }] });
    const misfit = await dst.post('/api/schema/apply', told);
    expect({ status: misfit.status, code: misfit.body.error.code }).toEqual({ status: 409, code: 'misfits' });
    expect(misfit.body.error.details[0]).toMatchObject({ module: 'customer', path: '/properties/score', code: 'misfits' });

    const emptying = withEntry(snapshot, 'customer', (d) => ({ ...d, 'x-migration': { renames: { phone: 'mobile' }, onMisfit: { score: 'null' } } }));
    const confirmable = (await diff(emptying)).plans[0].plan;
    expect(confirmable).toMatchObject({ applicable: true, needsConfirmation: true });
    const unconfirmed = await dst.post('/api/schema/apply', emptying);
    expect({ status: unconfirmed.status, code: unconfirmed.body.error.code }).toEqual({ status: 409, code: 'confirmation_required' });
    expect(expectStatus(await dst.get('/api/data/customer?sort=id'), 200).body.data.map((c: any) => c.phone)).toEqual(['138', null]);

    expectStatus(await dst.post('/api/schema/apply', { snapshot: emptying, confirm: { customer: confirmable.token } }), 200);
    const rows = expectStatus(await dst.get('/api/data/customer?sort=id'), 200).body.data;
    expect(rows.map((c: any) => [c.name, c.mobile, c.score])).toEqual([['Ada', '138', 12], ['Bob', null, null]]);
    expect(entry(await snapshotOf(dst), 'customer').definition).toEqual(entry(snapshot, 'customer').definition);
    // Applied, the same snapshot has nothing left to do: its renames are done.
    expect((await diff(emptying)).plans).toEqual([]);
    const changes = expectStatus(await dst.get('/api/modules/customer/changes'), 200).body.data;
    expect(changes.at(-1)).toMatchObject({ origin: 'schema', migration: { renames: { phone: 'mobile' } } });
  });

  it('refuses to apply when the target changed since the diff, and changes nothing', async () => {
    expectStatus(await src.put('/api/modules/region', { ...regionDef, title: 'Sales region' }), 200);
    const snapshot = await snapshotOf(src);
    const planned = await diff(snapshot);
    expect(planned.plans.map((p: any) => p.module)).toEqual(['region']);
    const theirs = { ...regionDef, description: 'changed here meanwhile' };
    expectStatus(await dst.put('/api/modules/region', theirs), 200);

    const stale = await dst.post('/api/schema/apply', { snapshot, against: planned.against });
    expect({ status: stale.status, code: stale.body.error.code }).toEqual({ status: 409, code: 'stale_definition' });
    expect(stale.body.error.details[0]).toMatchObject({ path: '/against/region' });
    expect(entry(await snapshotOf(dst), 'region').definition).toEqual(theirs);
    // A diff of a pinned snapshot says so too; a new diff is applied.
    expectStatus(await dst.post('/api/schema/diff', { ...snapshot, against: planned.against }), 409);
    const again = await diff(snapshot);
    expectStatus(await dst.post('/api/schema/apply', { ...snapshot, against: again.against }), 200);
    expect(entry(await snapshotOf(dst), 'region').definition).toEqual(entry(snapshot, 'region').definition);
  });

  it('drops an API module the snapshot does not hold, with its token; built-in and file modules are never touched', async () => {
    expectStatus(await dst.post('/api/modules', { $id: 'memo', type: 'object', properties: { text: { type: 'string', maxLength: 40 } } }), 201);
    await create(dst, 'memo', { text: 'kept in the trash' });
    const snapshot = await snapshotOf(src);
    const userChanged = withEntry(snapshot, 'user', (d) => ({ ...d, title: 'Person' }));
    const planned = await diff(userChanged);
    expect(planned.plans.map((p: any) => [p.action, p.module])).toEqual([['drop', 'memo']]);
    expect(planned.skipped).toEqual([{ module: 'user', reason: expect.stringContaining('built in') }]);
    const token = planned.plans[0].plan.token;
    expect((await dst.post('/api/schema/apply', userChanged)).body.error.code).toBe('confirmation_required');
    expectStatus(await dst.post(`/api/schema/apply?confirm=${token}`, userChanged), 200);
    expectStatus(await dst.get('/api/modules/memo'), 404);
    expect(expectStatus(await dst.get('/api/modules/trash'), 200).body.data[0]).toMatchObject({ kind: 'module', module: 'memo', rows: 1 });
    expect(entry(await snapshotOf(dst), 'user').definition.title).not.toBe('Person');
  });

  it('renames a module named in the snapshot by its name here, with moduleRename: what refers to it follows', async () => {
    const here = await snapshotOf(dst);
    // customer → client: the visits still list the customers by "customer", whose reference now names "client".
    const renamed: Snapshot = {
      ...here,
      modules: here.modules.map((m) => {
        if (m.name === 'customer') return { ...m, definition: { ...m.definition, $id: 'client', 'x-migration': { moduleRename: 'client' } } };
        if (m.name === 'visit') return { ...m, definition: { ...m.definition, properties: { ...m.definition.properties, customer: { type: 'integer', 'x-ref': 'client' } } } };
        return m;
      }),
    };
    const planned = await diff(renamed);
    // The visit's reference is rewritten by the rename itself: one plan.
    expect(planned.plans.map((p: any) => [p.action, p.module, p.plan.steps[0].kind])).toEqual([['change', 'customer', 'rename-module']]);
    expectStatus(await dst.post('/api/schema/apply', { snapshot: renamed, against: planned.against }), 200);
    const after = await snapshotOf(dst);
    expect(entry(after, 'client').definition).toEqual({ ...entry(here, 'customer').definition, $id: 'client' });
    expect(entry(after, 'visit').definition.properties.customer).toEqual({ type: 'integer', 'x-ref': 'client' });
    expect(expectStatus(await dst.get('/api/data/client?sort=id'), 200).body.data.map((c: any) => c.name)).toEqual(['Ada', 'Bob']);
    expect((await diff(renamed)).plans).toEqual([]);
  });

  it('refuses what is not a snapshot with a pointer to each fault', async () => {
    const r = await dst.post('/api/schema/diff', { version: 2, modules: [{ name: 'Bad Name', definition: {} }, { definition: 1 }] });
    expect({ status: r.status, code: r.body.error.code }).toEqual({ status: 400, code: 'invalid_snapshot' });
    expect(r.body.error.details.map((d: any) => d.path)).toEqual(['/version', '/modules/0/name', '/modules/1/name', '/modules/1/definition']);
    // A definition that is not valid is planned as refused, with its findings; applying it changes nothing.
    const snapshot = await snapshotOf(dst);
    const broken = withEntry(snapshot, 'region', (d) => ({ ...d, properties: { ...d.properties, name: null, code: { type: 'string', maxLength: 10, 'x-ref': 'nowhere' } } }));
    const planned = await diff(broken);
    expect(planned.plans).toMatchObject([{ module: 'region', action: 'change', plan: { applicable: false, steps: [] } }]);
    expect(planned.plans[0].plan.blockers.map((b: any) => b.path)).toEqual(expect.arrayContaining(['/properties/name']));
    const refused = await dst.post('/api/schema/apply', broken);
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 400, code: 'change_unsupported' });
    expect(refused.body.error.details[0]).toMatchObject({ module: 'region' });
    expect(await snapshotOf(dst)).toEqual(snapshot);
  });

  it('npm run schema: snapshot, diff and apply on the database of DATABASE_URL, as child processes; plan files replay', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stratum-schema-cli-'));
    const migrations = path.join(dir, 'migrations');
    const metadata = mkdtempSync(path.join(os.tmpdir(), 'stratum-empty-metadata-'));
    const file = (name: string, content?: unknown) => {
      const at = path.join(dir, name);
      if (content !== undefined) writeFileSync(at, typeof content === 'string' ? content : JSON.stringify(content));
      return at;
    };
    const [fresh, replica] = await Promise.all([createTestDatabase(dialect), createTestDatabase(dialect)]);
    const schema = (url: string, ...args: string[]) => run(args, { DATABASE_URL: url, METADATA_DIR: metadata, MIGRATIONS_DIR: url === fresh.url ? migrations : '' });
    try {
      const taken = await schema(source.databaseUrl, 'snapshot');
      expect(taken.code).toBe(0);
      const snapshot = JSON.parse(taken.stdout) as Snapshot;
      expect(snapshot).toEqual(await snapshotOf(src));
      const snap = file('snapshot.json', taken.stdout);

      const words = await schema(fresh.url, 'diff', snap);
      expect(words.code).toBe(0);
      expect(words.stdout).toContain('create region\n  - Add the field "code"');
      expect(words.stdout).toContain('4 plans.');
      for (const url of [fresh.url, replica.url]) expect(await schema(url, 'apply', snap)).toMatchObject({ code: 0 });
      expect((await schema(fresh.url, 'diff', snap)).stdout).toContain('Nothing to change');
      expect(apiModules(JSON.parse((await schema(fresh.url, 'snapshot')).stdout))).toEqual(apiModules(snapshot));

      // A visit with a note: a snapshot without the field loses data, so it needs --confirm.
      const opened = await Stratum.open({ databaseUrl: fresh.url, adminPassword: ADMIN_PASSWORD, metadataDir: metadata, builtinPlugins: false });
      const client = await new Client(createApp(opened)).login('admin', ADMIN_PASSWORD);
      await create(client, 'visit', { customer: await create(client, 'customer', { name: 'Ada' }), note: 'goes to the trash' });
      await opened.close();
      const noteless = file('noteless.json', withEntry(snapshot, 'visit', (d) => ({ ...d, properties: { customer: d.properties.customer, on: d.properties.on } })));
      const refused = await schema(fresh.url, 'apply', noteless);
      expect({ code: refused.code, stdout: refused.stdout, stderr: refused.stderr }).toMatchObject({ code: 2, stdout: expect.stringContaining('Remove the field "note"; its values go to the trash (1 row; loses data)'), stderr: expect.stringContaining('--confirm') });
      expect(await schema(fresh.url, 'apply', noteless, '--confirm')).toMatchObject({ code: 0 });

      // A snapshot diffed with --out refuses once the database moved since.
      const titled = file('titled.json', withEntry(snapshot, 'region', (d) => ({ ...d, title: 'Area' })));
      const pinned = file('pinned.json');
      expect(await schema(fresh.url, 'diff', titled, '--out', pinned)).toMatchObject({ code: 0 });
      expect(Object.keys(JSON.parse(readFileSync(pinned, 'utf8')).against)).toEqual(['region', 'visit']);
      expect(await schema(fresh.url, 'apply', file('described.json', withEntry(snapshot, 'region', (d) => ({ ...d, description: 'meanwhile' }))), '--confirm')).toMatchObject({ code: 0 });
      const stale = await schema(fresh.url, 'apply', pinned, '--confirm');
      expect({ code: stale.code, stderr: stale.stderr }).toMatchObject({ code: 2, stderr: expect.stringContaining('changed since') });

      // What fresh applied is in its migrations folder, a file per plan; replayed, they make the replica the same.
      const plans = readdirSync(migrations);
      expect(plans.length).toBeGreaterThanOrEqual(3);
      for (const name of plans) expect(name).toMatch(/^\d{14}-(customer|visit|region)-\d+\.json$/);
      const replay = await schema(replica.url, 'apply', migrations, '--confirm');
      expect({ code: replay.code, stdout: replay.stdout }).toMatchObject({ code: 0, stdout: expect.stringContaining('applied already') });
      const [a, b] = await Promise.all([schema(fresh.url, 'snapshot'), schema(replica.url, 'snapshot')]);
      expect(apiModules(JSON.parse(b.stdout))).toEqual(apiModules(JSON.parse(a.stdout)));
    } finally {
      await Promise.all([fresh.drop(), replica.drop()]);
    }
  }, 180_000);
});

/** `node --import tsx core/schema-cli.ts …` with no plugins and no definition files, as the test apps run. */
function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'core/schema-cli.ts', ...args], {
      cwd: REPO, env: { ...process.env, MODULES_DIR: '', BUILTIN_PLUGINS: '0', DEMO: '0', ADMIN_PASSWORD, ...env }, maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}
