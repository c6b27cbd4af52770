import type { Mail } from './mailer.js';

export interface EnrollmentMailFacts {
  readonly to: string;
  readonly name: string;
  readonly className: string;
  readonly courseName: string;
  readonly login: string;
  /** Only for a new account; a returning student keeps their password. */
  readonly password?: string;
  /** Where to log in. */
  readonly loginUrl: string;
}

/** The mail to a new student: the enrollment succeeded, in which class, and the student account. */
export function enrollmentMail(f: EnrollmentMailFacts): Mail {
  const account = f.password
    ? [`Your student account is open (学员账号已开通):`, `  Login (用户名): ${f.login}`, `  Password (初始密码): ${f.password}`, `Please keep the password to yourself.`]
    : [`Log in with your student account (学员账号): ${f.login}`];
  return {
    to: f.to,
    subject: `Enrollment confirmed: ${f.className} (报名成功)`,
    text: [
      `Dear ${f.name},`,
      '',
      `your enrollment in ${f.className} (${f.courseName}) is approved. 您已成功报名 ${f.className}。`,
      '',
      ...account,
      '',
      `Log in at ${f.loginUrl} to see your contract, your classes and the course outline.`,
      '',
      'Stratum CRM',
    ].join('\n'),
  };
}
