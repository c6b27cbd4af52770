import type { HonoRequest } from 'hono';
import { notFound } from '../../core/errors.js';

/**
 * An absolute URL on this server, for links that leave it (the enrollment link, the mail's login
 * address): `PUBLIC_URL` when set (behind a proxy the request's own host may be an inner one),
 * else the origin the request came to.
 */
export function publicUrl(req: HonoRequest, pathname: string): string {
  const base = process.env.PUBLIC_URL?.replace(/\/+$/, '') || new URL(req.url).origin;
  return `${base}${pathname}`;
}

/** A `:id` route parameter as a record id; anything else names no record (404). */
export function recordId(param: string | undefined, module: string): number {
  if (param === undefined || !/^[1-9][0-9]{0,14}$/.test(param)) throw notFound(`${module} ${String(param).slice(0, 20)}`);
  return Number(param);
}
