import type { Access } from '../rules/access.js';
import type { DataContext } from '../data/context.js';
import type { Stratum } from '../stratum.js';

/** What each request carries through Hono's context. */
export interface AppEnv {
  Variables: {
    stratum: Stratum;
    access: Access;
    data: DataContext;
  };
}
