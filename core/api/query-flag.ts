import { badRequest } from '../errors.js';

/**
 * A query flag such as `?dryRun=true`: `true`, `1` or present without a value; `false`, `0` or
 * absent. Anything else is refused: a `dryRun=yes` read as false would apply what was meant as a try.
 */
export function isTrue(v: string | undefined, name = 'dryRun'): boolean {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === '' || v === 'true' || v === '1') return true;
  throw badRequest('invalid_query', `${name} must be true or false; nothing was done`, [{ path: `/${name}`, message: 'must be true or false' }]);
}
