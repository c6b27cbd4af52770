import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Next } from 'hono';
import { onBehalfOf } from '../db/requester.js';

/**
 * Marks the request's work as unwanted once its client closes the connection before the answer
 * is sent (core/db/requester.ts). Only requests served by a Node server have a connection to watch.
 */
export function watchClient() {
  return (c: Context, next: Next): Promise<void> => {
    const env = c.env as { incoming?: IncomingMessage; outgoing?: ServerResponse } | undefined;
    const outgoing = env?.outgoing;
    if (!outgoing) return next();
    let gone = false;
    const onClose = () => {
      if (!outgoing.writableFinished) gone = true;
    };
    outgoing.once('close', onClose);
    return onBehalfOf({ gone: () => gone || outgoing.destroyed && !outgoing.writableFinished }, next);
  };
}
