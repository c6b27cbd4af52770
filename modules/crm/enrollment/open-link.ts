/**
 * Finds the enrollment form behind a link's token, or says clearly why the link does not work:
 * unknown (404), used, replaced or expired (410), locked after too many refused submissions (429).
 */
import { HttpError, notFound } from '../../../core/errors.js';
import type { EnrollmentForm, Modules } from '../../../core/generated/modules.js';
import type { PluginScope } from '../../../core/plugins/define-plugin.js';
import { tokenHash } from './link-token.js';

/** Refused submissions before a link is locked: enough for typos, too few to probe with. */
export const MAX_ATTEMPTS = 10;

export async function openLink(service: PluginScope<Modules>, token: string | undefined): Promise<EnrollmentForm> {
  const hash = tokenHash(token);
  const found = hash === undefined ? undefined : (await service.records('enrollment_form').list({ filter: { tokenHash: hash }, pageSize: 1, total: 'none' })).data[0];
  if (!found) throw notFound('This enrollment link');
  if (found.submittedAt !== null) throw gone('link_used', 'This enrollment link has been used: the form is submitted. Ask your consultant if something needs changing.');
  if (found.revokedAt !== null) throw gone('link_revoked', 'A newer link replaced this one: use the latest link your consultant sent.');
  if (Date.parse(found.expiresAt) <= Date.now()) throw gone('link_expired', `This enrollment link expired at ${found.expiresAt}: ask your consultant for a new one.`);
  if ((found.attempts ?? 0) >= MAX_ATTEMPTS) {
    throw new HttpError(429, 'too_many_attempts', `This link refused ${MAX_ATTEMPTS} submissions and is locked: ask your consultant for a new one.`);
  }
  return found;
}

/** One more refused submission on the link (committed on its own: the refused write itself is not). */
export async function countAttempt(service: PluginScope<Modules>, link: EnrollmentForm): Promise<void> {
  await service.records('enrollment_form').update(link.id, { attempts: (link.attempts ?? 0) + 1 });
}

export function gone(code: string, message: string): HttpError {
  return new HttpError(410, code, message);
}
