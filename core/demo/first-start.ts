import type { Stratum } from '../stratum.js';
import { STATE_TABLE } from '../db/registry.js';
import { DEMO_PASSWORD, installDemo, wantsDemo, type Demo, type DemoOptions } from './install-demo.js';

/**
 * `npm start`: on a new database the demo CRM is installed (API.md "Running it") unless
 * `DEMO=0`; `DEMO_PASSWORD` chooses the demo logins' password. Later starts leave the data alone.
 */
export async function installDemoOnFirstStart(
  stratum: Stratum, env: Readonly<Record<string, string | undefined>>, log: (line: string) => void, options: DemoOptions = {},
): Promise<Demo | undefined> {
  if (env.DEMO === '0' || !(await wantsDemo(stratum))) return undefined;
  // Several processes may start on one new database at once: the first to claim the install in
  // the database installs, the others leave it (the claim's key is unique; nothing in-process).
  if (!(await claimInstall(stratum))) {
    log('Another process is installing the demo CRM on this database (or did); this one leaves it alone.');
    return undefined;
  }
  const started = Date.now();
  const demo = await installDemo(stratum, { ...options, password: env.DEMO_PASSWORD || DEMO_PASSWORD, log });
  log(`Installed the demo CRM in ${((Date.now() - started) / 1000).toFixed(1)} s. Log in as sales_a, sales_b, sales_c, sales_d, manager, teacher, teacher_linux or student`
    + ` with the password ${env.DEMO_PASSWORD ? 'of DEMO_PASSWORD' : `"${DEMO_PASSWORD}"`} (README "Demo"). DEMO=0 starts without it.`);
  return demo;
}

/** True for the one process whose claim row went in; a duplicate key means another got there first. */
async function claimInstall(stratum: Stratum): Promise<boolean> {
  const q = (x: string) => stratum.db.quote(x);
  try {
    await stratum.db.insert({ sql: `INSERT INTO ${q(STATE_TABLE)} (${q('name')}, ${q('value')}) VALUES ($1, $2)`, params: ['demo-install', Date.now()] });
    return true;
  } catch (e) {
    if ((e as Error).name === 'SequelizeUniqueConstraintError') return false;
    throw e;
  }
}
