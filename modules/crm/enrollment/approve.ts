/**
 * Sales approves a submitted enrollment. In ONE transaction, as the caller: the
 * payment, the student (unless the customer is one already), the class membership, the customer
 * marked enrolled and the enrollment approved; as the service account, in the same transaction,
 * the student's login, which no salesperson may create. Any refusal (a permission, a duplicate, a
 * login taken) rolls all of it back. After the commit the student gets the mail (mail/mailer.ts).
 */
import { randomInt } from 'node:crypto';
import type { EnrollmentForm, Modules, Student, User } from '../../../core/generated/modules.js';
import { conflict, HttpError, notFound, type CreateInput, type PluginScope, type RouteContext, type TransactionScope } from '../../../core/plugins/define-plugin.js';
import { enrollmentMail } from '../mail/enrollment-mail.js';
import { deliver, type Delivery } from '../mail/mailer.js';
import { publicUrl, recordId } from '../public-url.js';
import { SERVICE_ACCOUNT, STUDENT_ROLE } from './service-account.js';

interface ApproveInput {
  amount?: number;
  paidOn?: string;
  method?: 'cash' | 'card' | 'alipay' | 'wechat' | 'transfer';
}

export async function approveEnrollment(ctx: RouteContext<Modules>): Promise<Response> {
  const { params, records, transaction, actAs, req, json, log } = ctx;
  const id = recordId(params.id, 'enrollment');
  const input = await approveInput(ctx);
  const enrollment = await records('enrollment').get(id);
  if (enrollment.status !== 'submitted') {
    throw conflict('enrollment_not_submitted', `Enrollment ${id} is ${enrollment.status}: only a submitted form is approved`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const done = await transaction(async (t) => {
    const service = await actAs(SERVICE_ACCOUNT, t);
    const form = await submittedForm(service, id);
    const cls = await t.records('class').get(enrollment.class);
    const course = await t.records('course').get(cls.course);
    const payment = await t.records('payment').create({
      customer: enrollment.customer, enrollment: id, amount: input.amount ?? enrollment.price ?? course.price, paidOn: input.paidOn ?? today,
      kind: 'tuition', ...(input.method ? { method: input.method } : {}),
    });
    const student = await studentOf(t, enrollment.customer, form);
    const account = await accountOf(service, student, form);
    const member = await t.records('class_member').create({ class: enrollment.class, student: student.id, joinedOn: today });
    await t.records('customer').update(enrollment.customer, { status: 'enrolled' });
    // The version read before: of two approvals at once, the second is refused (409) and undone.
    await t.records('enrollment').update(id, { status: 'approved', approvedAt: today, student: student.id, agreedAt: form.agreedAt }, { version: enrollment.version });
    return { payment: payment.id, student: student.id, membership: member.id, account, mail: { to: form.email!, name: form.name!, className: cls.name, courseName: course.name } };
  });
  const mail = enrollmentMail({ ...done.mail, login: done.account.login, ...(done.account.password ? { password: done.account.password } : {}), loginUrl: publicUrl(req, '/') });
  const delivery: Delivery = await deliver(mail, await actAs(SERVICE_ACCOUNT)).catch((e: unknown) => {
    log(`the approval of enrollment ${id} is committed, but its mail to ${mail.to} could not be sent or kept: ${e instanceof Error ? e.message : String(e)}`);
    return 'failed' as const;
  });
  return json({ enrollment: id, status: 'approved', payment: done.payment, student: done.student, membership: done.membership, login: done.account.login, mail: delivery });
}

/** The optional JSON body: how the tuition was paid. */
async function approveInput({ req, body }: RouteContext<Modules>): Promise<ApproveInput> {
  if (req.header('content-type') === undefined && (req.header('content-length') ?? '0') === '0') return {};
  const input = await body<ApproveInput | null>();
  return input ?? {};
}

async function submittedForm(service: PluginScope<Modules>, enrollment: number): Promise<EnrollmentForm> {
  const forms = await service.records('enrollment_form').list({ filter: { enrollment, submittedAt: { isNull: false } }, sort: '-submittedAt,-id', pageSize: 1, total: 'none' });
  const form = forms.data[0];
  if (!form) throw conflict('form_missing', `Enrollment ${enrollment} is marked submitted, but no submitted form was found: send a new link`);
  return form;
}

/** The customer's student record: theirs already (a second class), or a new one from the form. */
async function studentOf(t: TransactionScope<Modules>, customer: number, form: EnrollmentForm): Promise<Student> {
  const existing = (await t.records('student').list({ filter: { customer }, pageSize: 1, total: 'none' })).data[0];
  if (existing) return existing;
  return t.records('student').create({ name: form.name!, customer, phone: form.phone, email: form.email, idNumber: form.idNumber });
}

/**
 * The student's login: theirs if they have one, else a new account in the student role,
 * named by their e-mail, with a random first password that only the mail carries. It joins the
 * service account's department (service-account.ts).
 */
async function accountOf(service: PluginScope<Modules>, student: Student, form: EnrollmentForm): Promise<{ login: string; password?: string }> {
  const current = (await service.records('student').get(student.id)).user;
  if (current !== null) return { login: (await service.records('user').get(current)).username };
  const role = (await service.records('role').list({ filter: { name: STUDENT_ROLE }, fields: 'id', pageSize: 1, total: 'none' })).data[0];
  if (!role) throw notFound(`The role "${STUDENT_ROLE}" that new students get`);
  const department = (await service.records('user').get(service.actor.id)).department;
  const login = form.email!.toLowerCase();
  const password = newPassword();
  // `password` is write-only, so the generated User type has no such field.
  const payload = { username: login, password, name: form.name, email: form.email, department, roles: [role.id] } as unknown as CreateInput<User>;
  const user = await service.records('user').create(payload).catch((e: unknown) => {
    if (e instanceof HttpError && e.status === 409) {
      throw conflict('login_taken', `Another account already has the login ${login} (the e-mail of the form): nothing was written. Correct the e-mail with the customer, or link the student to that account.`);
    }
    throw e;
  });
  await service.records('student').update(student.id, { user: user.id });
  return { login, password };
}

/** 12 characters without look-alikes (0/O, 1/l/I): about 70 bits, typed from a mail without mistakes. */
function newPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
