/**
 * Whether the client a piece of work is done for is still there. A write that waited its turn
 * behind many others is not started for a client that closed its connection meanwhile: nobody
 * would read its answer, and a client that gave up usually sends it again. The HTTP layer says
 * so per request (core/api/watch-client.ts); work outside a request always counts as wanted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Requester {
  /** True once the client closed its connection before it was answered. */
  gone(): boolean;
}

interface Watched extends Requester {
  /** Set by the request's first write: from then on its writes all run (half of it would be worse). */
  started: boolean;
}

const current = new AsyncLocalStorage<Watched>();

/** Runs `fn` on behalf of `requester`: the writes it starts ask `writeWanted()`. */
export function onBehalfOf<T>(requester: Requester, fn: () => T): T {
  return current.run({ gone: () => requester.gone(), started: false }, fn);
}

/**
 * Called by a write as it starts: false when its client has gone and none of the request's
 * writes has started yet (skip it, nothing is lost); true otherwise, and from then on.
 */
export function writeWanted(): boolean {
  const requester = current.getStore();
  if (!requester || requester.started) return true;
  if (requester.gone()) return false;
  requester.started = true;
  return true;
}
