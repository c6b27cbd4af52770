import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';

/** Rules with `$user.*` variables: they follow the user, and one the user has no value for denies. */
describeEachDialect('rule variables', (dialect) => {
  let app: TestApp;
  let admin: Client;
  let role: number;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    await admin.post('/api/modules', { $id: 'memo', type: 'object', properties: { text: { type: 'string', maxLength: 40 }, team: { type: 'integer' } }, required: ['text'] });
    for (const [text, team] of [['a', 1], ['b', 2], ['c', null]] as const) await admin.post('/api/data/memo', { text, team });
    role = (await admin.post('/api/data/role', { name: 'memo reader' })).body.id;
    await admin.post('/api/data/permission', { role, module: 'memo', actions: ['read'] });
  });
  afterAll(async () => app?.close());

  it('$user.id in a rule selects the records created by the caller', async () => {
    const u = await admin.post('/api/data/user', { username: 'writer', password: 'password-123', roles: [role] });
    await admin.post('/api/data/permission', { role, module: 'memo', actions: ['read', 'create'] }).then((r) => expect(r.status).toBe(409));
    await admin.post('/api/data/rule', { name: 'own memos', module: 'memo', filter: { createdBy: '$user.id' }, actions: ['read'], users: [u.body.id] });
    const writer = await app.client().login('writer', 'password-123');
    expect((await writer.get('/api/data/memo')).body.meta.total).toBe(0);
  });

  it('a rule whose $user variable has no value denies as a whole, even under "not" (fail closed)', async () => {
    const u = await admin.post('/api/data/user', { username: 'nodept', password: 'password-123', roles: [role] });
    // Without the rule-level check, not(team = <nothing>) would become not(false): every memo.
    await admin.post('/api/data/rule', { name: 'not my team', module: 'memo', filter: { not: { team: '$user.department' } }, actions: ['read'], users: [u.body.id] });
    const client = await app.client().login('nodept', 'password-123');
    const list = await client.get('/api/data/memo');
    expect(list.status).toBe(200);
    expect(list.body.meta.total).toBe(0);
    const ex = await admin.get(`/api/data/memo/explain?user=${u.body.id}`);
    expect(ex.body.actions.read.bases[0].rules[0].error).toBe('$user.department has no value for this user');
    expect(ex.body.actions.read.sql).toBe('1=0');
  });
});
