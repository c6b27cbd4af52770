/**
 * A student's rank in a class, counted by the server under the student's own visibility:
 * 1 + how many memberships of the class have a higher grade, out of all the class's memberships.
 * Two counts (`GET /api/data/class_member/aggregate`), so the page never receives a classmate's
 * name or grade, only the two numbers.
 */
import { api } from '../../../../ui/plugin-sdk.js';

export interface Rank {
  rank: number;
  of: number;
}

const count = async (filter: Record<string, unknown>): Promise<number> => {
  const rows = await api.data('class_member').aggregate({ metrics: ['count()'], filter } as never);
  return Number((rows[0] as Record<string, unknown> | undefined)?.['count()'] ?? 0);
};

/** The rank of `score` in the class; undefined while the student has no grade there. */
export async function rankIn(classId: number, score: number | null | undefined): Promise<Rank | undefined> {
  if (score === null || score === undefined) return undefined;
  const [higher, of] = await Promise.all([count({ class: classId, score: { gt: score } }), count({ class: classId })]);
  return { rank: higher + 1, of };
}
