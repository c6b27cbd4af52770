/**
 * What the public enrollment page (modules/crm/ui/public) needs from the API, on the demo as installed: the
 * link sales sends names that page, which opens without login, and the form's description says
 * how large the ID document may be, so that the page refuses a too large file before sending it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../modules/crm/files/read-upload.js';
import { describeEachDialect } from '../support/databases.js';
import { all, body, startDemo, type CrmApp } from './demo-app.js';

describeEachDialect('the enrollment link opens a page', (dialect) => {
  let crm: CrmApp;
  beforeAll(async () => {
    crm = await startDemo(dialect, 10);
  });
  afterAll(async () => crm?.close());

  it('E-1/E-2 the link names the page /enroll/<token>, which answers without login, and the form gives the largest file', async () => {
    const b = await crm.as('sales_b');
    const mine = await all(b, 'customer', { consultant: crm.demo.users.sales_b });
    const cls = crm.demo.catalogue.classes['Python FULLSTACK S5']!.id;
    const enrollment = body(await b.post('/api/data/enrollment', { customer: mine.at(-1).id, class: cls }), 201);
    const link = body(await b.post(`/api/plugins/crm/enrollments/${enrollment.id}/link`), 201);
    const token = link.url.split('/').pop();
    // The API's address stays as it was; the page is the one a customer opens.
    expect(link.url).toBe(`http://localhost/api/plugins/crm/enroll/${token}`);
    expect(link.page).toBe(`http://localhost/enroll/${token}`);

    const anonymous = crm.app.client();
    const page = await anonymous.get(new URL(link.page).pathname);
    expect(page.status).toBe(200);
    expect(String(page.body)).toMatch(/<div id="app">/);
    const form = body(await anonymous.get(new URL(link.url).pathname));
    expect(form.form.file).toEqual({ field: 'idDocument', types: ['image/jpeg', 'image/png', 'application/pdf'], maxBytes: MAX_UPLOAD_BYTES });
    expect(form.class.name).toBe('Python FULLSTACK S5');
  });
});
