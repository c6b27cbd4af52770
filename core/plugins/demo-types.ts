/**
 * A plugin's demo (`demo` in definePlugin): data that shows what the plugin does, installed by
 * `npm start` on a new database unless DEMO=0 (core/first-start-demo.ts).
 */
import type { LifecycleInfo, PluginScope } from './types.js';

/** Data access as the built-in admin, outside any transaction: each write is committed on its own. */
export interface DemoContext<M> extends PluginScope<M>, LifecycleInfo {
  /** DEMO_PASSWORD: the password for the demo's logins, when the one who starts chose it. */
  readonly password?: string;
  /** Settings a test or script passes (how many records, a seed); the plugin documents its own. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What the start tells the one who runs it about the installed demo. */
export interface DemoResult {
  /** What the demo is called in the log line ("CRM": "Installed the demo CRM in 3.1 s"). */
  readonly title?: string;
  /** The logins the demo made, and their password (when DEMO_PASSWORD did not choose it). */
  readonly logins?: readonly string[];
  readonly password?: string;
}
