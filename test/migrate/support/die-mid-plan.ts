/**
 * A process that applies a definition change and is killed (SIGKILL, no cleanup of any kind)
 * right after the operation named by its third argument: what a crash between two steps leaves.
 * Usage: node --import tsx die-mid-plan.ts <databaseUrl> <module> <operation label> <new definition JSON>
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Stratum } from '../../../core/stratum.js';
import { applyChange, dryRun } from '../../../core/migrate/apply-change.js';
import { setStepHook } from '../../../core/migrate/run-plan.js';
import { planChange, splitMigration } from '../../../core/schema/plan-change.js';

const [databaseUrl, module, killAt, body] = process.argv.slice(2) as [string, string, string, string];
const stratum = await Stratum.open({ databaseUrl, metadataDir: mkdtempSync(path.join(os.tmpdir(), 'stratum-empty-metadata-')), builtinPlugins: false, log: () => undefined });
const stored = await stratum.registry.definitions();
const before = stored.find((s) => s.name === module)!;
const { definition, migration } = splitMigration(JSON.parse(body));
const change = planChange(before.definition, definition, migration, stored.filter((s) => s.name !== module).map((s) => s.definition));
const plan = await dryRun(stratum.db, stratum.registry, change);
setStepHook((label) => {
  if (label === killAt) process.kill(process.pid, 'SIGKILL');
});
await applyChange(stratum.db, stratum.registry, change, { actor: { id: null, username: 'crash-test' }, origin: 'api', confirm: plan.token });
// Reaching this line means the operation never ran: the parent sees exit code 3.
process.exit(3);
