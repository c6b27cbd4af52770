/**
 * `npm run security` fails on what sqlmap reports as a finding and only then: its verdicts read
 * from lines as sqlmap 1.7 prints them (its negatives say "injectable" too).
 */
import { describe, expect, it } from 'vitest';
import { verdictOf } from './sqlmap/findings.js';

const CLEAN_RUN = [
  "[00:48:07] [WARNING] heuristic (basic) test shows that GET parameter 'q' might not be injectable",
  "[00:48:12] [WARNING] GET parameter 'q' does not seem to be injectable",
  "[00:48:14] [ERROR] all tested parameters do not appear to be injectable. Try to increase values for '--level'/'--risk' options",
].join('\n');

describe('sqlmap verdicts', () => {
  it('a run that tested everything and found nothing is clean', () => {
    expect(verdictOf(CLEAN_RUN, '')).toEqual({ kind: 'clean' });
  });

  it.each([
    "[INFO] GET parameter 'filter' appears to be 'AND boolean-based blind - WHERE or HAVING clause' injectable (with --string=\"a\")",
    "[INFO] GET parameter 'sort' is 'MySQL >= 5.0 AND error-based - WHERE, HAVING, ORDER BY or GROUP BY clause (FLOOR)' injectable ",
    "GET parameter 'q' is vulnerable. Do you want to keep testing the others (if any)? [y/N] N",
    'sqlmap identified the following injection point(s) with a total of 46 HTTP(s) requests:',
    'back-end DBMS: MySQL >= 5.0',
    "[INFO] heuristic (basic) test shows that GET parameter 'fields' might be injectable (possible DBMS: 'MySQL')",
  ])('a finding fails the run, even beside the clean ending: %s', (line) => {
    expect(verdictOf(`${line}\n${CLEAN_RUN}`, '')).toEqual({ kind: 'finding', lines: [line] });
  });

  it('an injection point in the log folder is a finding whatever was printed', () => {
    const log = "Parameter: q (GET)\n    Type: boolean-based blind";
    expect(verdictOf(CLEAN_RUN, log)).toEqual({ kind: 'finding', lines: log.split('\n') });
  });

  it('a run that stopped before a conclusion is not a pass', () => {
    const verdict = verdictOf("[CRITICAL] unable to connect to the target URL ('Connection refused')", '');
    expect(verdict).toEqual({ kind: 'inconclusive', reason: "[CRITICAL] unable to connect to the target URL ('Connection refused')" });
  });
});
