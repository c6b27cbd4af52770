/**
 * A small dataset with fixed dates for the S-6 report, on top of the demo CRM installed with its
 * history ending in June 2024 (2023-04..2024-06): these rows are in 2021-2022, so a report up to
 * 2022-06 shows them alone and its month-over-month and year-over-year figures are known.
 *
 * Sales 1 (sales_a): A1 baidu enrolled 2022-03, A2 baidu following 2022-03, A3 referral enrolled
 * 2022-05; Sales 2 (sales_b): B1 website new 2022-03. Payments: A1 1000 (2021-03), 2000
 * (2022-02), 3000 (2022-03); A3 1500 and a -500 refund (2022-05); B1 4000 (2022-03). A1 and A3
 * have approved enrollments (2022-04-01) in one class.
 */
import { installDemo, type Demo } from '../crm/demo-app.js';
import type { Stratum } from '../../core/stratum.js';
import type { Client } from '../support/app.js';

export const DEMO_TODAY = new Date('2024-06-15T00:00:00Z');

async function created(reply: Promise<{ status: number; body: any }>): Promise<number> {
  const r = await reply;
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

export async function installKnownSales(stratum: Stratum, admin: Client): Promise<Demo> {
  const demo = await installDemo(stratum, { customers: 10, today: DEMO_TODAY });
  const customer = (name: string, consultant: number, source: string, status: string, enquiryDate: string) =>
    created(admin.post('/api/data/customer', { name, consultant, source, status, enquiryDate }));
  const a1 = await customer('Known A1', demo.users.sales_a, 'baidu', 'enrolled', '2022-03-02');
  await customer('Known A2', demo.users.sales_a, 'baidu', 'following', '2022-03-20');
  const a3 = await customer('Known A3', demo.users.sales_a, 'referral', 'enrolled', '2022-05-05');
  const b1 = await customer('Known B1', demo.users.sales_b, 'website', 'new', '2022-03-09');
  const pay = (customer: number, amount: number, paidOn: string, kind = 'tuition') => created(admin.post('/api/data/payment', { customer, amount, paidOn, kind }));
  await pay(a1, 1000, '2021-03-10');
  await pay(a1, 2000, '2022-02-10');
  await pay(a1, 3000, '2022-03-10');
  await pay(a3, 1500, '2022-05-10');
  await pay(a3, -500, '2022-05-20', 'refund');
  await pay(b1, 4000, '2022-03-15');
  const classId = Object.values(demo.catalogue.classes)[0]!.id;
  for (const c of [a1, a3]) await created(admin.post('/api/data/enrollment', { customer: c, class: classId, status: 'approved', approvedAt: '2022-04-01' }));
  return demo;
}
