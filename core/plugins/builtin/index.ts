/**
 * The plugins that come with Stratum, loaded by every Stratum.open unless `builtinPlugins: false`.
 * They use the public plugin API like any other, and an admin can disable them like any other.
 */
import type { Plugin } from '../define-plugin.js';
import { auditPlugin } from './audit/plugin.js';

export const BUILTIN_PLUGINS: readonly Plugin[] = [auditPlugin];
