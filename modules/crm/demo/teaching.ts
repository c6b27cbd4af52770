import type { Catalogue } from './catalogue.js';
import { addDays, atHour } from './dates.js';
import type { RecordWriter } from './record-writer.js';
import type { DemoLogin } from './organisation.js';
import type { Random } from './random.js';
import type { EnrolledStudent } from './sales-history.js';

export interface Teaching {
  /** Python FULLSTACK S5's lessons by number: 1 and 2 are given; 3 is the teacher's to create. */
  lessons: Record<number, number>;
}

const S5 = 'Python FULLSTACK S5';

/**
 * The running class Python FULLSTACK S5: two lessons with roll calls, homework for both —
 * lesson 1 graded, and each student's overall grade set from it, lesson 2 handed in and
 * waiting for grading — and a survey. Graduates of the finished classes get their
 * employment records and refer friends.
 */
export async function installTeaching(
  writer: RecordWriter, random: Random, today: string, users: Record<DemoLogin, number>, catalogue: Catalogue, enrolled: readonly EnrolledStudent[],
  /** Student A: always there and always hands in, so that the student portal has grades to show. */
  keen: number | undefined,
): Promise<Teaching> {
  const cls = catalogue.classes[S5]!;
  const members = enrolled.filter((e) => e.className === S5);
  const lessons: Record<number, number> = {};
  const topics = [
    { title: 'Python basics', content: 'Variables, types, input and output, if/while', homework: 'A number-guessing game' },
    { title: 'Functions and modules', content: 'def, arguments, scope, import, the standard library', homework: 'A module of text utilities with tests' },
  ];
  for (const [i, topic] of topics.entries()) {
    const number = i + 1;
    const date = addDays(cls.start, i * 3);
    lessons[number] = await writer.create('lesson', { class: cls.id, number, date, teacher: users.teacher, ...topic });
    for (const m of members) {
      const status = m.student === keen ? 'present' : random.weighted({ present: 85, late: 7, absent: 4, leave: 4 });
      await writer.create('attendance', { lesson: lessons[number], student: m.student, status });
      if (status === 'absent' || (number === 2 && m.student !== keen && random.chance(0.15))) continue;
      const submittedAt = atHour(addDays(date, random.int(1, 2)), random.int(9, 22));
      if (number === 1) {
        const score = random.int(62, 99);
        await writer.create('homework', {
          lesson: lessons[number], student: m.student, file: `homework/s5/lesson-1/${m.student}.zip`, submittedAt, score,
          comment: score >= 90 ? '很好 / excellent' : score >= 75 ? 'Good; mind the edge cases' : '需要加强练习 / needs more practice', gradedAt: atHour(addDays(date, 3), 20),
        });
        await writer.update('class_member', m.member, { score });
      } else {
        await writer.create('homework', { lesson: lessons[number], student: m.student, file: `homework/s5/lesson-2/${m.student}.zip`, submittedAt });
      }
    }
  }
  const survey = await writer.create('survey', { title: 'Python FULLSTACK S5: the first week', class: cls.id, opensOn: addDays(cls.start, 5), closesOn: addDays(today, 7) });
  const questions = [
    await writer.create('survey_question', { survey, number: 1, text: 'How clear are the lessons? (1–5)', kind: 'rating' }),
    await writer.create('survey_question', { survey, number: 2, text: 'How is the pace?', kind: 'choice', options: ['too slow', 'right', 'too fast'] }),
    await writer.create('survey_question', { survey, number: 3, text: 'What should we change?', kind: 'text' }),
  ];
  for (const m of members.filter(() => random.chance(0.5))) {
    await writer.create('survey_answer', { question: questions[0], student: m.student, rating: random.int(3, 5) });
    await writer.create('survey_answer', { question: questions[1], student: m.student, answer: random.pick(['right', 'right', 'too fast']) });
  }
  const graduates = enrolled.filter((e) => catalogue.classes[e.className]!.end < today);
  const companies = ['字节跳动 ByteDance', '美团 Meituan', '京东 JD.com', '小米 Xiaomi', '网易 NetEase', '携程 Trip.com', 'A small start-up'];
  for (const g of graduates.filter(() => random.chance(0.5))) {
    const python = catalogue.classes[g.className]!.plan.course === 'python';
    const start = addDays(catalogue.classes[g.className]!.end, random.int(10, 60));
    if (start > today) continue;
    await writer.create('employment', {
      student: g.student, company: random.pick(companies), position: python ? random.pick(['Python developer', 'Web developer', 'Data engineer']) : random.pick(['Linux administrator', 'DevOps engineer', 'SRE']),
      city: random.pick(['北京', '上海', '深圳', '杭州']), salary: random.int(8, 25) * 1000, startDate: start,
    });
  }
  for (const g of graduates.slice(0, 2)) {
    await writer.create('referral', { referrer: g.student, name: '朋友 (a friend)', phone: `1370000${String(g.student).padStart(4, '0')}`, course: catalogue.courses.python, notes: 'Works with me; wants to change careers' });
  }
  return { lessons };
}
