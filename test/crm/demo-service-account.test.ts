import { afterAll, beforeAll, expect, it } from 'vitest';
import { SERVICE_ACCOUNT, SERVICE_ROLE } from '../../modules/crm/enrollment/service-account.js';
import { describeEachDialect } from '../support/databases.js';
import { all, body, startDemo, type CrmApp } from './demo-app.js';

/**
 * A newcomer who starts the demo can use the enrollment flow at once. The
 * demo creates the account the flow acts as (modules/crm/enrollment/service-account.ts), so a
 * link works without an admin setting anything up first (without it the link answers 503).
 */
describeEachDialect('the demo CRM is ready for enrollment links', (dialect) => {
  let crm: CrmApp;
  beforeAll(async () => {
    crm = await startDemo(dialect, 10);
  });
  afterAll(async () => crm?.close());

  it('E-1 on the demo as installed: sales B gets a link for their own customer', async () => {
    const [account] = await all(crm.admin, 'user', { username: SERVICE_ACCOUNT }, '&fields=department,roles');
    const [role] = await all(crm.admin, 'role', { name: SERVICE_ROLE });
    expect(account).toMatchObject({ department: crm.demo.departments['0030'], roles: [role.id] });
    const b = await crm.as('sales_b');
    const mine = await all(b, 'customer', { consultant: crm.demo.users.sales_b });
    const classes = await all(b, 'class');
    const enrollment = body(await b.post('/api/data/enrollment', { customer: mine.at(-1).id, class: classes.at(-1).id }), 201);
    const link = body(await b.post(`/api/plugins/crm/enrollments/${enrollment.id}/link`), 201);
    expect(link.url).toMatch(/\/api\/plugins\/crm\/enroll\/[A-Za-z0-9_-]{43}$/);
    // The link opens without login.
    const form = await crm.app.client().get(new URL(link.url).pathname);
    expect(form.status, JSON.stringify(form.body)).toBe(200);
  });
});
