import { addDays } from './dates.js';
import type { RecordWriter } from './record-writer.js';
import type { DemoLogin } from './organisation.js';

export type CourseKey = 'python' | 'linux';

export interface ClassPlan {
  readonly name: string;
  readonly course: CourseKey;
  readonly semester: number;
  readonly campus: 'beijing' | 'shanghai';
  /** Start, in days from the demo's today. */
  readonly startsIn: number;
}

export const COURSE_PRICE: Record<CourseKey, number> = { python: 19800, linux: 12800 };
const COURSE_WEEKS: Record<CourseKey, number> = { python: 20, linux: 12 };

/**
 * The classes ("Python FULLSTACK S5", running since a week, and "Linux 36", starting next
 * month) with the runs before and after them, so that 14 months of enrollments have classes.
 */
export const CLASSES: readonly ClassPlan[] = [
  { name: 'Python FULLSTACK S3', course: 'python', semester: 3, campus: 'shanghai', startsIn: -370 },
  { name: 'Python FULLSTACK S4', course: 'python', semester: 4, campus: 'beijing', startsIn: -220 },
  { name: 'Python FULLSTACK S5', course: 'python', semester: 5, campus: 'beijing', startsIn: -7 },
  { name: 'Python FULLSTACK S6', course: 'python', semester: 6, campus: 'shanghai', startsIn: 60 },
  { name: 'Linux 34', course: 'linux', semester: 34, campus: 'beijing', startsIn: -345 },
  { name: 'Linux 35', course: 'linux', semester: 35, campus: 'shanghai', startsIn: -180 },
  { name: 'Linux 36', course: 'linux', semester: 36, campus: 'beijing', startsIn: 30 },
];

export interface Catalogue {
  campuses: Record<'beijing' | 'shanghai', number>;
  courses: Record<CourseKey, number>;
  /** By class name, with the dates the history needs. */
  classes: Record<string, { id: number; plan: ClassPlan; start: string; end: string }>;
  contractTemplates: Record<'standard' | 'python', number>;
}

const OUTLINE: Record<CourseKey, string> = {
  python: [
    '1. Python basics: types, control flow, functions, modules',
    '2. Object-oriented programming, exceptions, files',
    '3. Networking and concurrency: sockets, threads, asyncio',
    '4. Databases: MySQL, SQL, an ORM',
    '5. Front end: HTML, CSS, JavaScript, jQuery, Bootstrap',
    '6. Django: models, views, templates, the admin; a CRM project',
    '7. Deployment: Linux, nginx, uWSGI',
  ].join('\n'),
  linux: [
    '1. Installing Linux; the shell; files and permissions',
    '2. Users, processes, services, systemd',
    '3. Networking, SSH, firewalls',
    '4. Web servers: nginx, LNMP',
    '5. Shell scripting and automation',
    '6. Monitoring, backups, high availability',
  ].join('\n'),
};

/** The courses, campuses and classes, and the contract templates the enrollment links show. */
export async function installCatalogue(writer: RecordWriter, users: Record<DemoLogin, number>, today: string): Promise<Catalogue> {
  const campuses = {
    beijing: await writer.create('campus', { name: 'Beijing', city: '北京', address: '北京市海淀区中关村大街 1 号', phone: '010-8888 6666' }),
    shanghai: await writer.create('campus', { name: 'Shanghai', city: '上海', address: '上海市浦东新区张江路 88 号', phone: '021-5555 7777' }),
  };
  const teacherOf: Record<CourseKey, number> = { python: users.teacher, linux: users.teacher_linux };
  const courses = {
    python: await writer.create('course', { name: 'Python Full Stack', outline: OUTLINE.python, periodWeeks: COURSE_WEEKS.python, price: COURSE_PRICE.python, teacher: teacherOf.python }),
    linux: await writer.create('course', { name: 'Linux', outline: OUTLINE.linux, periodWeeks: COURSE_WEEKS.linux, price: COURSE_PRICE.linux, teacher: teacherOf.linux }),
  };
  const classes: Catalogue['classes'] = {};
  for (const plan of CLASSES) {
    const start = addDays(today, plan.startsIn);
    const end = addDays(start, COURSE_WEEKS[plan.course] * 7);
    const status = start > today ? 'planned' : end < today ? 'finished' : 'running';
    const id = await writer.create('class', {
      name: plan.name, course: courses[plan.course], campus: campuses[plan.campus], semester: plan.semester,
      teachers: [teacherOf[plan.course]], startDate: start, endDate: end, capacity: 40, status,
    });
    classes[plan.name] = { id, plan, start, end };
  }
  const contractTemplates = {
    standard: await writer.create('contract_template', {
      name: 'Standard training agreement',
      content: 'The school teaches the course of the class named in the enrollment; the student pays the tuition stated there. A student may change to a later class of the same course once, free of charge. Tuition is refunded in full before the class starts and pro rata in its first two weeks.',
    }),
    python: await writer.create('contract_template', {
      name: 'Python Full Stack agreement', course: courses.python,
      content: 'In addition to the standard agreement: the school helps graduates of Python Full Stack find work for six months after the class ends.',
    }),
  };
  return { campuses, courses, classes, contractTemplates };
}

/** The knowledge base students search before asking a question. */
export async function installArticles(writer: RecordWriter, courses: Record<CourseKey, number>): Promise<void> {
  const articles = [
    { title: 'How do I install Python 3 on Windows?', category: 'Setup', course: courses.python, content: 'Download the installer from python.org, tick "Add Python to PATH", then check with `python --version` in a new terminal.' },
    { title: 'pip install is slow: use a mirror', category: 'Setup', course: courses.python, content: 'Run `pip config set global.index-url https://pypi.tuna.tsinghua.edu.cn/simple` once.' },
    { title: 'Django: "no such table" after adding a model', category: 'Django', course: courses.python, content: 'Run `python manage.py makemigrations` and then `python manage.py migrate`.' },
    { title: 'Linux file permissions in five minutes', category: 'Linux basics', course: courses.linux, content: 'r=4, w=2, x=1 for owner, group and others: `chmod 750 script.sh`.' },
    { title: 'How do I ask for leave?', category: 'School', content: 'Tell your teacher before the lesson; the roll call marks you "on leave" instead of "absent".' },
    { title: 'Where do I hand in homework?', category: 'School', content: 'On the lesson page of your class: one file per lesson, before the next lesson starts.' },
  ];
  for (const a of articles) await writer.create('article', a);
}
