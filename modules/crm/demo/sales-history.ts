import { CLASSES, COURSE_PRICE, type Catalogue, type CourseKey } from './catalogue.js';
import { addDays, atHour, daysBetween, minDay } from './dates.js';
import type { RecordWriter } from './record-writer.js';
import type { DemoLogin } from './organisation.js';
import { People } from './people.js';
import type { Random } from './random.js';

type Source = 'baidu' | 'qq_group' | 'website' | 'referral' | 'walk_in' | 'phone' | 'wechat' | 'other';
type Fate = 'new' | 'following' | 'enrolled' | 'lost';
type Consultant = 'sales_a' | 'sales_b' | 'sales_c' | 'sales_d';

/** How leads arrive: most from Baidu ads and QQ groups. */
const SOURCE_WEIGHTS: Record<Source, number> = { baidu: 30, qq_group: 20, website: 14, referral: 10, walk_in: 8, phone: 8, wechat: 7, other: 3 };
/** How often each source ends in an enrollment, so that conversion by source differs visibly in the sales report. */
const CONVERSION: Record<Source, number> = { baidu: 0.14, qq_group: 0.24, website: 0.18, referral: 0.45, walk_in: 0.35, phone: 0.1, wechat: 0.2, other: 0.08 };
/** Per salesperson, a factor on conversion: the report by salesperson shows a spread. */
const SKILL: Record<Consultant, number> = { sales_a: 1.2, sales_b: 1.0, sales_c: 0.8, sales_d: 0.9 };
const HISTORY_DAYS = 425; // 14 months

interface Lead {
  name: string;
  phone: string;
  qq?: string;
  source: Source;
  consultant: Consultant;
  course: CourseKey;
  enquiry: string;
  fate: Fate;
  /** Enrolled: the day of approval and, when fixed, the class. */
  approved?: string;
  className?: string;
  /** Fixed follow-ups (the scenarios'); otherwise generated. */
  followups?: { date: string; method: string; content: string; intent: string; nextStep?: string }[];
  key?: NamedCustomer;
}

export type NamedCustomer = 'studentA' | 'xiaoDongbei' | 'wangFang' | 'liuChang';

export interface EnrolledStudent {
  student: number;
  customer: number;
  member: number;
  className: string;
}

export interface SalesHistory {
  customers: Record<NamedCustomer, number>;
  students: Partial<Record<NamedCustomer, number>>;
  /** Every enrolled student, by class. */
  enrolled: EnrolledStudent[];
}

const FOLLOWUP_TEXT: Record<Fate, string[]> = {
  new: [],
  following: ['问了学费和开班时间,说要和家里商量', 'Asked about the schedule; will decide after the holiday', '发了课程大纲,客户觉得内容不错', 'Compared us with another school; sent the job statistics', '约了周末来校区试听'],
  enrolled: ['试听后很满意,准备报名', 'Agreed to enroll; sent the enrollment link', '确认了开班日期和学费分期'],
  lost: ['已经报了其他机构', 'Budget too high this year', '电话多次未接通'],
};
const METHOD_WEIGHTS = { phone: 40, qq: 20, wechat: 25, visit: 10, email: 5 };

/**
 * Customers over the last 14 months, each with follow-ups; about a fifth enroll: a
 * student, an approved enrollment with its contract, payments and a class membership —
 * enough for every part of the sales report to show something in every month. Written oldest first, so that
 * a referral can name a student who enrolled earlier.
 */
export async function installSalesHistory(
  writer: RecordWriter, random: Random, today: string, count: number,
  users: Record<DemoLogin, number>, catalogue: Catalogue, studentLogin: number,
): Promise<SalesHistory> {
  const people = new People(random);
  const leads = [...namedLeads(today), ...randomLeads(random, people, today, count)];
  for (const l of leads) people.take(l.phone, l.qq);
  leads.sort((a, b) => (a.enquiry < b.enquiry ? -1 : a.enquiry > b.enquiry ? 1 : 0));

  const history: SalesHistory = { customers: {} as Record<NamedCustomer, number>, students: {}, enrolled: [] };
  const studentsSoFar: number[] = [];
  for (const lead of leads) {
    const referrer = lead.source === 'referral' && studentsSoFar.length > 0 ? random.pick(studentsSoFar) : undefined;
    const customer = await writer.create('customer', {
      name: lead.name, phone: lead.phone, ...(lead.qq ? { qq: lead.qq } : {}), source: lead.source, consultant: users[lead.consultant],
      status: lead.fate, intendedCourse: catalogue.courses[lead.course], enquiryDate: lead.enquiry, ...(referrer ? { referrer } : {}),
    });
    if (lead.key) history.customers[lead.key] = customer;
    const lastContact = lead.fate === 'enrolled' ? lead.approved! : today;
    for (const f of lead.followups ?? generatedFollowups(random, lead, lastContact)) {
      await writer.create('followup', { customer, ...f });
    }
    if (lead.fate === 'enrolled') {
      const enrolled = await enroll(writer, random, lead, customer, catalogue, today, lead.key === 'studentA' ? studentLogin : undefined);
      history.enrolled.push(enrolled);
      studentsSoFar.push(enrolled.student);
      if (lead.key) history.students[lead.key] = enrolled.student;
    } else if (lead.fate === 'following' && daysBetween(lead.enquiry, today) <= 30 && random.chance(0.3)) {
      // A link sent, not yet filled in in the enrollment flow: counts as a lead, not as an enrollment.
      const next = CLASSES.find((c) => c.course === lead.course && c.startsIn > 0)!;
      await writer.create('enrollment', { customer, class: catalogue.classes[next.name]!.id, status: 'sent', price: COURSE_PRICE[lead.course], contractTemplate: catalogue.contractTemplates.standard });
    }
  }
  return history;
}

async function enroll(
  writer: RecordWriter, random: Random, lead: Lead, customer: number, catalogue: Catalogue, today: string, login: number | undefined,
): Promise<EnrolledStudent> {
  const approved = lead.approved!;
  const className = lead.className ?? Object.values(catalogue.classes).find((c) => c.plan.course === lead.course && c.start >= addDays(approved, 2))!.plan.name;
  const cls = catalogue.classes[className]!;
  const price = COURSE_PRICE[lead.course];
  const student = await writer.create('student', { name: lead.name, customer, phone: lead.phone, ...(login ? { user: login } : {}) });
  const enrollment = await writer.create('enrollment', {
    customer, class: cls.id, status: 'approved', price, student, approvedAt: approved, agreedAt: atHour(approved, 10),
    contractTemplate: lead.course === 'python' ? catalogue.contractTemplates.python : catalogue.contractTemplates.standard,
  });
  const method = random.weighted({ alipay: 35, wechat: 30, card: 20, transfer: 10, cash: 5 });
  if (random.chance(0.3)) {
    await writer.create('payment', { customer, enrollment, amount: price, paidOn: approved, method, kind: 'tuition' });
  } else {
    await writer.create('payment', { customer, enrollment, amount: 2000, paidOn: approved, method, kind: 'deposit' });
    const balanceDay = addDays(approved, random.int(5, 20));
    if (balanceDay <= today) await writer.create('payment', { customer, enrollment, amount: price - 2000, paidOn: balanceDay, method, kind: 'tuition' });
  }
  const finished = cls.end < today;
  const dropped = finished && random.chance(0.1);
  const member = await writer.create('class_member', {
    class: cls.id, student, joinedOn: approved < cls.start ? cls.start : approved,
    status: !finished ? 'studying' : dropped ? 'dropped' : 'graduated', ...(finished && !dropped ? { score: random.int(60, 98) } : {}),
  });
  return { student, customer, member, className };
}

function generatedFollowups(random: Random, lead: Lead, until: string) {
  if (lead.fate === 'new') return [];
  const out: { date: string; method: string; content: string; intent: string; nextStep?: string }[] = [];
  const wanted = lead.fate === 'following' ? random.int(1, 4) : lead.fate === 'lost' ? random.int(1, 2) : random.int(1, 3);
  let day = addDays(lead.enquiry, random.int(0, 3));
  for (let i = 0; i < wanted && day <= until; i++) {
    const last = i === wanted - 1;
    const intent = lead.fate === 'enrolled' ? (last ? 'high' : 'medium') : lead.fate === 'lost' ? (last ? 'none' : 'low') : random.pick(['high', 'medium', 'low']);
    out.push({
      date: day, method: random.weighted(METHOD_WEIGHTS), content: random.pick(FOLLOWUP_TEXT[lead.fate]), intent,
      ...(lead.fate === 'following' ? { nextStep: '再次电话回访 / call again' } : {}),
    });
    day = addDays(day, random.int(4, 45));
  }
  return out;
}

function randomLeads(random: Random, people: People, today: string, count: number): Lead[] {
  const consultants: Consultant[] = ['sales_a', 'sales_b', 'sales_c', 'sales_d'];
  const leads: Lead[] = [];
  for (let i = 0; i < count; i++) {
    const age = random.int(0, HISTORY_DAYS);
    const enquiry = addDays(today, -age);
    const source = random.weighted(SOURCE_WEIGHTS);
    const consultant = random.pick(consultants);
    const r = random.next();
    const p = CONVERSION[source] * SKILL[consultant];
    const approved = minDay(addDays(enquiry, random.int(3, 25)), today);
    const fate: Fate = age >= 12 && r < p ? 'enrolled' : r < p + 0.18 && age >= 7 ? 'lost' : age < 20 && random.chance(0.5) ? 'new' : 'following';
    leads.push({
      name: people.name(), phone: people.phone(), ...(random.chance(0.6) ? { qq: people.qq() } : {}),
      source, consultant, course: random.chance(0.6) ? 'python' : 'linux', enquiry, fate, ...(fate === 'enrolled' ? { approved } : {}),
    });
  }
  return leads;
}

/** The scenarios' own people, the same in every demo. */
function namedLeads(today: string): Lead[] {
  const day = (n: number) => addDays(today, n);
  const s5 = (name: string, consultant: Consultant, source: Source, phone: string, enquiry: number, approved: number, key?: NamedCustomer): Lead => ({
    name, phone, source, consultant, course: 'python', enquiry: day(enquiry), fate: 'enrolled', approved: day(approved), className: 'Python FULLSTACK S5', ...(key ? { key } : {}),
  });
  return [
    // Student A came from a QQ group to sales B and enrolled in Python S5.
    { ...s5('周小明', 'sales_b', 'qq_group', '13911112222', -40, -20, 'studentA'), qq: '2233445566' },
    // The student who is late for lesson 3.
    s5('小东北', 'sales_a', 'baidu', '13922223333', -75, -30, 'xiaoDongbei'),
    s5('陈晨', 'sales_c', 'walk_in', '13933334444', -60, -45),
    s5('林欣怡', 'sales_d', 'website', '13944445555', -90, -70),
    s5('黄浩然', 'sales_a', 'referral', '13955556666', -55, -35),
    s5('郭子轩', 'sales_b', 'baidu', '13966667777', -50, -15),
    // Owned by sales B; sales D will try to enter her again.
    {
      key: 'wangFang', name: '王芳', phone: '13800138000', qq: '100200300', source: 'website', consultant: 'sales_b', course: 'linux', enquiry: day(-90), fate: 'following',
      followups: [
        { date: day(-85), method: 'phone', content: '对 Linux 运维感兴趣,询问周末班', intent: 'medium', nextStep: '发课程大纲' },
        { date: day(-45), method: 'wechat', content: 'Sent the Linux outline; she will answer after her exams', intent: 'medium', nextStep: '考试后回访' },
      ],
    },
    // Sales C's earlier lead, who hesitates about Linux 36.
    {
      key: 'liuChang', name: '刘畅', phone: '13977778888', source: 'phone', consultant: 'sales_c', course: 'linux', enquiry: day(-20), fate: 'following',
      followups: [{ date: day(-15), method: 'phone', content: 'Interested in Linux 36; asked about the price', intent: 'medium', nextStep: 'Call again before Linux 36 starts' }],
    },
  ];
}
