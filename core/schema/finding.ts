/**
 * A finding about a module definition, in the manner of Django's system checks: a stable code,
 * where (a JSON pointer, prefixed by the module when the whole graph is checked), what, and what to do.
 */
import type { DetailCode } from '../error-codes.js';

export interface Finding {
  readonly code: DetailCode;
  /** `/properties/amount/type`; for graph checks, `<module>#/properties/customer/x-ref`. */
  readonly pointer: string;
  readonly message: string;
  readonly hint: string;
  readonly module?: string;
}

export class DefinitionError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `${findings.length} problem${findings.length === 1 ? '' : 's'} in module definitions:\n` +
        findings.map((f) => `  ${f.code} ${f.module ?? ''}${f.pointer}: ${f.message} (${f.hint})`).join('\n'),
    );
    this.name = 'DefinitionError';
  }
}

/** JSON pointer escaping (RFC 6901). */
export const pointerSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const pointer = (...segments: (string | number)[]) =>
  segments.map((s) => '/' + pointerSegment(String(s))).join('');
