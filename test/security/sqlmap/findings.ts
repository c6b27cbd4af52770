/**
 * What one sqlmap run concluded, read from what it printed and the log it keeps in its output
 * folder (`<output-dir>/<host>/log`, where it writes every injection point it confirmed).
 */

export type Verdict =
  /** sqlmap tested every parameter it was given and found nothing. */
  | { readonly kind: 'clean' }
  /** An injection point, an identified back-end, or SQL error text in an answer. */
  | { readonly kind: 'finding'; readonly lines: readonly string[] }
  /** sqlmap stopped before it could say (server unreachable, timed out, bad options): not a pass. */
  | { readonly kind: 'inconclusive'; readonly reason: string };

// "GET parameter 'q' appears to be 'AND boolean-based blind - WHERE or HAVING clause' injectable",
// "GET parameter 'q' is 'MySQL >= 5.0 … error-based …' injectable", "… is vulnerable", and the
// heuristic "… might be injectable (possible DBMS: 'MySQL')", which means a database's error
// text came back in an answer. Its negatives ("does not seem to be injectable") never match.
const FINDINGS: readonly RegExp[] = [
  /parameter '[^']*' (?:appears to be|is) '[^']*' injectable/i,
  /parameter '[^']*' is vulnerable/i,
  /parameter '[^']*' might be injectable/i,
  /identified the following injection point/i,
  /^back-end DBMS: /im,
  /the back-end DBMS is /i,
];

const CLEAN = /all tested parameters do not appear to be injectable/i;

/** The verdict of one run, from its printed output and the content of its log file ('' when absent). */
export function verdictOf(output: string, log: string): Verdict {
  const lines = output.split(/\r?\n/).filter((line) => FINDINGS.some((re) => re.test(line)));
  if (log.trim() !== '') lines.push(...log.trim().split(/\r?\n/).slice(0, 10));
  if (lines.length > 0) return { kind: 'finding', lines };
  if (CLEAN.test(output)) return { kind: 'clean' };
  const critical = output.split(/\r?\n/).filter((line) => /\[CRITICAL\]|\[ERROR\]/.test(line));
  return { kind: 'inconclusive', reason: critical.at(-1)?.trim() ?? 'sqlmap ended without a conclusion' };
}
