/**
 * Titles of enum values (`x-enum-titles`, translated in `x-i18n.<lang>.enums`): checked when a
 * definition is saved, served to the UI by `GET /api/meta/modules`, never stored in place of the
 * value. The browser side is in test/ui/enum-titles.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDefinitions } from '../../core/schema/check-definitions.js';
import { startTestApp, type Client, type TestApp } from '../support/app.js';
import { describeEachDialect } from '../support/databases.js';
import { ticketDef } from '../support/ticket-def.js';

describe('enum titles in definitions', () => {
  it('accepts titles of enum values and of enum items, with translations', () => {
    expect(checkDefinitions([ticketDef])).toEqual([]);
  });

  it('refuses a title for a value the property does not have, in either place, and titles on a field without values', () => {
    const bad = structuredClone(ticketDef) as any;
    bad.properties.status['x-enum-titles'].closed = 'Closed';
    bad['x-i18n'].zh.enums.status.cancelled = '已取消';
    bad['x-i18n'].zh.enums.subject = { a: 'b' };
    bad.properties.subject['x-enum-titles'] = { a: 'A' };
    const findings = checkDefinitions([bad]).map((f) => [f.code, f.pointer]);
    expect(findings).toEqual(expect.arrayContaining([
      ['enum_title_unknown_value', '/properties/status/x-enum-titles/closed'],
      ['enum_title_unknown_value', '/x-i18n/zh/enums/status/cancelled'],
      ['enum_title_not_enum', '/x-i18n/zh/enums/subject'],
    ]));
    // On a plain string there is no value to title.
    expect(findings.some(([, p]) => p === '/properties/subject/x-enum-titles')).toBe(true);
    expect(findings).toHaveLength(4);
  });

  it('refuses a title that is not text', () => {
    const bad = structuredClone(ticketDef) as any;
    bad.properties.status['x-enum-titles'].open = 1;
    expect(checkDefinitions([bad]).map((f) => f.pointer)).toContain('/properties/status/x-enum-titles/open');
  });
});

describeEachDialect('enum titles through the API', (dialect) => {
  let app: TestApp;
  let admin: Client;
  beforeAll(async () => {
    app = await startTestApp(dialect);
    admin = await app.admin();
    expect((await admin.post('/api/modules', ticketDef)).status).toBe(201);
  });
  afterAll(async () => app?.close());

  it('GET /api/meta/modules gives each enum field its titles per language; the value is stored as sent', async () => {
    const meta = (await admin.get('/api/meta/modules')).body.data.find((m: { name: string }) => m.name === 'ticket');
    const field = (name: string) => meta.fields.find((f: { name: string }) => f.name === name);
    expect(field('status').enumTitles).toEqual({ '': { open: 'Open', in_progress: 'In progress' }, zh: { open: '待处理', in_progress: '处理中', done: '已完成' } });
    expect(field('channels').enumTitles).toEqual({ '': { mail: 'E-mail' }, zh: { phone: '电话' } });
    expect(field('subject').enumTitles).toBeUndefined();
    const created = await admin.post('/api/data/ticket', { subject: 'Printer', status: 'in_progress', channels: ['phone'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'in_progress', channels: ['phone'] });
    // A title is not a value.
    const refused = await admin.post('/api/data/ticket', { subject: 'Scanner', status: 'In progress' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details[0].path).toBe('/status');
  });

  it('a module saved with a title for an unknown value is refused with its pointer, and nothing changes', async () => {
    const bad = structuredClone(ticketDef) as any;
    bad['x-i18n'].zh.enums.status.closed = '已关闭';
    const reply = await admin.put('/api/modules/ticket', bad);
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain('/x-i18n/zh/enums/status/closed');
    expect((await admin.get('/api/modules/ticket')).body.definition['x-i18n']).toEqual(ticketDef['x-i18n']);
  });
});
