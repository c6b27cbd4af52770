/**
 * The pages anyone may open without logging in. The list is explicit and short: every other path
 * needs a session, and the app sends a visitor without one to the login.
 */
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { match } from '../router.js';
import { EnrollmentPage } from './enrollment-page.js';

/** The public page at `path`, or undefined when the path needs a login. */
export function publicPage(path: string): VNode | undefined {
  const p = match('/enroll/:token', path);
  if (p) return html`<${EnrollmentPage} key=${p.token} token=${p.token} />` as VNode;
  return undefined;
}
