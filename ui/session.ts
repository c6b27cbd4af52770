/** What every page gets: who is logged in and the modules they may read. */
import type { Me } from '../core/client/index.js';
import type { ModuleMeta } from './api.js';
import { StratumError } from './api.js';
import { navigate } from './router.js';

export interface Session {
  me: Me;
  meta: ReadonlyMap<string, ModuleMeta>;
}

/** A 401 in the middle of work (the session ended): back to the login, then here again. */
export function onUnauthenticated(e: unknown): boolean {
  if (!(e instanceof StratumError) || e.status !== 401) return false;
  const here = window.location.pathname + window.location.search;
  navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
  return true;
}
