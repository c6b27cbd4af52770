import type { RecordWriter } from './record-writer.js';
import type { CrmRole } from './install-roles.js';

/**
 * The company's department tree, plus teaching and students. Teachers and students are not
 * organised by sales department: their departments see all, and their roles' rules alone narrow
 * what they see (their classes; their own records).
 */
export const DEPARTMENTS = [
  { code: '00', name: '公司 Company' },
  { code: '0001', name: '行政部 Office', seeAll: true },
  { code: '0002', name: '财务部 Finance', seeAll: true },
  { code: '0010', name: '销售部 Sales' },
  { code: '001001', name: '销售一部 Sales 1' },
  { code: '001002', name: '销售二部 Sales 2' },
  { code: '001003', name: '销售三部 Sales 3' },
  { code: '0020', name: '教学部 Teaching', seeAll: true },
  { code: '0030', name: '学员 Students', seeAll: true },
] as const;

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];

/** The demo logins (README "Demo"): sales A–D, the sales manager, two teachers, student A. */
export const ACCOUNTS = [
  { username: 'sales_a', name: '李娜 (Sales A)', department: '001001', role: 'sales' },
  { username: 'sales_b', name: '王强 (Sales B)', department: '001002', role: 'sales' },
  { username: 'sales_c', name: '张伟 (Sales C)', department: '001003', role: 'sales' },
  { username: 'sales_d', name: '刘洋 (Sales D)', department: '001001', role: 'sales' },
  { username: 'manager', name: '陈静 (Sales manager)', department: '0010', role: 'sales manager' },
  { username: 'teacher', name: '赵磊 (Python teacher)', department: '0020', role: 'teacher' },
  { username: 'teacher_linux', name: '孙鹏 (Linux teacher)', department: '0020', role: 'teacher' },
  { username: 'student', name: '周小明 (Student A)', department: '0030', role: 'student' },
] as const satisfies readonly { username: string; name: string; department: DepartmentCode; role: CrmRole }[];

export type DemoLogin = (typeof ACCOUNTS)[number]['username'];

export async function installDepartments(writer: RecordWriter): Promise<Record<DepartmentCode, number>> {
  const ids: Record<string, number> = {};
  for (const d of DEPARTMENTS) ids[d.code] = await writer.create('department', { ...d });
  return ids as Record<DepartmentCode, number>;
}

export async function installAccounts(
  writer: RecordWriter, departments: Record<DepartmentCode, number>, roles: Record<CrmRole, number>, password: string,
): Promise<Record<DemoLogin, number>> {
  const ids: Record<string, number> = {};
  for (const a of ACCOUNTS) {
    ids[a.username] = await writer.create('user', {
      username: a.username, password, name: a.name, email: `${a.username}@demo.stratum.local`, department: departments[a.department], roles: [roles[a.role]],
    });
  }
  return ids as Record<DemoLogin, number>;
}
