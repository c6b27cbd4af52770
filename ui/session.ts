/** What every page gets: who is logged in and the modules they may read. */
import type { Me } from '../core/client/index.js';
import type { ModuleMeta } from './api.js';
import { StratumError } from './api.js';

export interface Session {
  me: Me;
  meta: ReadonlyMap<string, ModuleMeta>;
}

/** Fired when the server no longer knows the session; the app then forgets it too. */
export const SESSION_ENDED = 'stratum:session-ended';

/** A 401 in the middle of work (the session ended): the app shows the login, then this page again. */
export function onUnauthenticated(e: unknown): boolean {
  if (!(e instanceof StratumError) || e.status !== 401) return false;
  window.dispatchEvent(new Event(SESSION_ENDED));
  return true;
}
