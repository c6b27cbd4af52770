/**
 * The reference CRM is a plugin like any other: without it (DEMO=0) nothing of its UI reaches the
 * browser — not in the app's script, nor in any chunk the app loads — and with it, its pages,
 * words and styles are in its own script and stylesheet, loaded only when one of its pieces shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crm from '../../modules/crm/plugin.js';
import { startTestApp, type TestApp } from '../support/app.js';

/** Strings only the CRM's client part holds: test ids of its pages and actions, its words. */
const CRM_ONLY = ['my-classes', 'portal-tabs', 'start-enrollment', 'enrollment-actions', 'roll-call', 'Recommend a friend', 'Review and approve'];

/** A script and every script it imports, by path under /ui/ (a chunk shared with the app counts once). */
async function scriptsFrom(app: TestApp, start: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (found.has(at)) continue;
    const reply = await app.client().get(`/ui/${at}`);
    expect(reply.status, at).toBe(200);
    const text = String(reply.body);
    found.set(at, text);
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      queue.push(new URL(m[1]!, `http://ui/${at}`).pathname.slice(1));
    }
  }
  return found;
}

const shellOf = async (app: TestApp, path = '/') => String((await app.client().get(path)).body);
const manifestOf = (shell: string) => JSON.parse(/<script type="application\/json" id="stratum-plugins">(.*?)<\/script>/s.exec(shell)![1]!) as { plugin: string; script: string; style?: string }[];
const crmStrings = (texts: Iterable<string>) => {
  const all = [...texts];
  return CRM_ONLY.filter((s) => all.some((t) => t.includes(s)));
};

describe('the CRM is a plugin', () => {
  let without: TestApp;
  let withCrm: TestApp;
  beforeAll(async () => {
    [without, withCrm] = await Promise.all([startTestApp('sqlite'), startTestApp('sqlite', { plugins: [crm] })]);
  });
  afterAll(async () => Promise.all([without?.close(), withCrm?.close()]));

  it('without it, the app and every chunk it loads hold nothing of the CRM, and its pages are no pages', async () => {
    const shell = await shellOf(without);
    expect(manifestOf(shell).map((p) => p.plugin)).not.toContain('crm');
    const scripts = await scriptsFrom(without, 'app.js');
    expect(crmStrings(scripts.values())).toEqual([]);
    expect(crmStrings([String((await without.client().get('/ui/app.css')).body)])).toEqual([]);
    for (const path of ['/teach/classes/1', '/portal', '/reports/sales', '/enroll/some-token']) expect((await without.client().get(path)).status, path).toBe(404);
  });

  it('with it, its pages answer the shell, and its code and styles are in its own files, not in the app', async () => {
    const shell = await shellOf(withCrm);
    for (const path of ['/teach/classes/1', '/teach/lessons/1/attendance', '/teach/lessons/1/homework', '/portal', '/portal/classes/1', '/portal/referral', '/portal/help', '/reports/sales', '/enroll/some-token']) {
      expect(await shellOf(withCrm, path), path).toEqual(shell);
    }
    const app = await scriptsFrom(withCrm, 'app.js');
    expect(crmStrings(app.values())).toEqual([]);
    const entry = manifestOf(shell).find((p) => p.plugin === 'crm')!;
    const own = await scriptsFrom(withCrm, entry.script.slice('/ui/'.length));
    expect(crmStrings(own.values())).toEqual(CRM_ONLY);
    const style = await withCrm.client().get(entry.style!);
    expect(style.headers.get('content-type')).toMatch(/^text\/css/);
    expect(String(style.body)).toContain('.portal-tabs');
    expect(String((await withCrm.client().get('/ui/app.css')).body)).not.toContain('.portal-tabs');
  });
});
