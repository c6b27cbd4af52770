/**
 * `npm run schema -- <command>`: module definitions between environments, on the database of
 * DATABASE_URL (or the SQLite file in DATA_DIR), opened as `npm start` opens it but not served.
 *
 *   snapshot                       the snapshot of every stored module, as JSON on stdout
 *   diff <file> [--json] [--out <pinned>]
 *                                  the plans that would make this database hold the snapshot, in
 *                                  words (--json: as the API answers them); --out writes the
 *                                  snapshot with "against" set to this database's bases, so that
 *                                  applying it refuses if the database changes in between
 *   apply <file> [--confirm]       applies the plans; --confirm accepts the ones that lose data
 *
 * <file> is a snapshot, a plan file of migrations/ or a folder of plan files (replayed in the
 * order they were applied). Exit status: 0 done, 2 refused (a plan needs --confirm, does not
 * fit, or the database is not the one the file was diffed against), 1 failed.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openConfigured } from './configured-stratum.js';
import { HttpError } from './errors.js';
import { applyChange, dryRun } from './migrate/apply-change.js';
import { applySnapshot, diffSnapshot, takeSnapshot, type ModulePlan } from './migrate/apply-snapshot.js';
import { appliedOrder, isPlanFile, replayedChange, type PlanFile } from './migrate/replay-plan.js';
import type { Plan } from './schema/change-plan.js';
import { planLines } from './schema/plan-words.js';
import { readSnapshot, type Snapshot } from './schema/schema-snapshot.js';
import { Stratum } from './stratum.js';

const USAGE = 'usage: npm run schema -- snapshot | diff <file> [--json] [--out <file>] | apply <file> [--confirm]';
const REFUSED = 2;

/** A refusal the user can act on: said in words, exit status 2. */
class Refused extends Error {}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

async function main(args: string[]): Promise<number> {
  const [command, file, ...rest] = args;
  const flag = (name: string) => rest.includes(name);
  const option = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
  if (command === 'snapshot' && file === undefined) return withStratum(async (s) => out(JSON.stringify(await takeSnapshot(s.registry), null, 2)));
  if ((command !== 'diff' && command !== 'apply') || !file) {
    console.error(USAGE);
    return 1;
  }
  const input = await readInput(file);
  return withStratum(async (stratum) => {
    if (input.kind === 'plans') return command === 'diff' ? diffPlans(stratum, input.files) : applyPlans(stratum, input.files, flag('--confirm'));
    if (command === 'apply') return applyWords(stratum, input.snapshot, flag('--confirm'));
    const { diff } = await diffSnapshot(stratum.db, stratum.registry, input.snapshot);
    if (flag('--json')) out(JSON.stringify(diff, null, 2));
    else printPlans(diff.plans, diff.skipped);
    const pinned = option('--out');
    if (pinned) await writeFile(pinned, `${JSON.stringify({ ...input.snapshot, against: diff.against }, null, 2)}\n`);
  });
}

async function applyWords(stratum: Stratum, snapshot: Snapshot, confirm: boolean): Promise<void> {
  const { applied, skipped } = await applySnapshot(stratum.db, stratum.registry, snapshot, actor(), (p, op) => (confirm ? p.plan.token : op.confirm));
  for (const p of applied) printPlan(`${p.action} ${p.module}`, p.plan);
  for (const s of skipped) out(`skipped ${s.module}: ${s.reason}`);
  out(applied.length > 0 ? `Applied ${applied.length} plan${applied.length === 1 ? '' : 's'}.` : 'Nothing to change: this database holds the snapshot\'s modules.');
}

async function diffPlans(stratum: Stratum, files: readonly NamedPlan[]): Promise<void> {
  for (const { name, plan: file } of files) {
    const change = await replayedChange(stratum.registry, file);
    if (!change) out(`${name}: applied already`);
    else printPlan(`${name}: ${file.after ? 'change' : 'drop'} ${file.module}`, await dryRun(stratum.db, stratum.registry, change));
  }
}

/** Plan files one after the other: each checked against the database as the previous one left it. */
async function applyPlans(stratum: Stratum, files: readonly NamedPlan[], confirm: boolean): Promise<void> {
  for (const { name, plan: file } of files) {
    const change = await replayedChange(stratum.registry, file);
    if (!change) {
      out(`${name}: applied already`);
      continue;
    }
    const plan = await dryRun(stratum.db, stratum.registry, change);
    printPlan(`${name}: ${file.after ? 'change' : 'drop'} ${file.module}`, plan);
    if (plan.needsConfirmation && !confirm) throw new Refused(`${name} loses data; nothing more was changed. Run it again with --confirm if that is meant.`);
    await applyChange(stratum.db, stratum.registry, change, { actor: actor(), origin: 'schema', confirm: confirm ? plan.token : undefined });
    out(`${name}: applied`);
  }
}

function printPlans(plans: readonly ModulePlan[], skipped: readonly { module: string; reason: string }[]): void {
  for (const p of plans) printPlan(`${p.action} ${p.module}`, p.plan);
  for (const s of skipped) out(`skipped ${s.module}: ${s.reason}`);
  if (plans.length === 0) out('Nothing to change: this database holds the snapshot\'s modules.');
  else {
    const losing = plans.filter((p) => p.plan.needsConfirmation).map((p) => p.module);
    const blocked = plans.filter((p) => !p.plan.applicable).map((p) => p.module);
    out(`${plans.length} plan${plans.length === 1 ? '' : 's'}${losing.length > 0 ? `; losing data: ${losing.join(', ')} (apply with --confirm)` : ''}${blocked.length > 0 ? `; cannot be applied as they are: ${blocked.join(', ')}` : ''}.`);
  }
}

function printPlan(heading: string, plan: Plan): void {
  out(heading);
  for (const line of planLines(plan)) out(line);
}

type NamedPlan = { name: string; plan: PlanFile };
type Input = { kind: 'snapshot'; snapshot: Snapshot } | { kind: 'plans'; files: NamedPlan[] };

/** A snapshot, a plan file, or a folder of plan files in name order. */
async function readInput(file: string): Promise<Input> {
  const names = (await stat(file)).isDirectory() ? (await readdir(file)).filter((n) => n.endsWith('.json')).sort().map((n) => path.join(file, n)) : [file];
  const parsed = await Promise.all(names.map(async (name) => ({ name, json: JSON.parse(await readFile(name, 'utf8')) as unknown })));
  if (parsed.length > 0 && parsed.every((p) => isPlanFile(p.json))) {
    return { kind: 'plans', files: parsed.map((p) => ({ name: path.basename(p.name), plan: p.json as PlanFile })).sort((a, b) => appliedOrder(a.plan, b.plan)) };
  }
  if (parsed.length !== 1) throw new Error(`${file} holds no plan files`);
  const read = readSnapshot(parsed[0]!.json);
  if (!read.snapshot) throw new Error(`${file} is neither a snapshot nor a plan file:\n${read.problems.map((p) => `  ${p.path || '/'}: ${p.message} (${p.hint})`).join('\n')}`);
  return { kind: 'snapshot', snapshot: read.snapshot };
}

const actor = () => ({ id: null, username: `npm run schema (${os.userInfo().username})` });

/** Opens the database as the server does (its definition files and plugins too), runs `fn`, closes it. */
async function withStratum(fn: (stratum: Stratum) => Promise<void>): Promise<number> {
  // stdout is the snapshot or the plans: what the start has to say goes to stderr.
  const stratum = await openConfigured((line) => console.error(line));
  try {
    await fn(stratum);
    return 0;
  } catch (e) {
    if (e instanceof Refused) return refused(e.message);
    if (e instanceof HttpError && e.status !== 500) {
      const plans = (e.extra.plans ?? []) as ModulePlan[];
      for (const p of plans) printPlan(`${p.action} ${p.module}`, p.plan);
      for (const d of e.details) out(`  ! ${'module' in d ? `${String(d.module)}: ` : ''}${d.path ? `${d.path}: ` : ''}${d.message}${d.hint ? ` (${d.hint})` : ''}`);
      if (e.code === 'confirmation_required') return refused('the plans lose data; nothing was changed. Run it again with --confirm if that is meant.');
      return refused(`${e.message}${typeof e.extra.hint === 'string' ? ` (${e.extra.hint})` : ''}`);
    }
    throw e;
  } finally {
    await stratum.close();
  }
}

function refused(message: string): number {
  console.error(`Refused: ${message}`);
  return REFUSED;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
