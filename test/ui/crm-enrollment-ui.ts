/**
 * What the browser tests of the enrollment flow share: the CRM with its plugin and a small demo,
 * sales B logged in through the API, a PNG to send as an ID document, a folder for the files the
 * browser uploads, and a browser without any session (the customer's phone).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import crmPlugin from '../../modules/crm/plugin.js';
import { installDemo, type Demo } from '../crm/demo-app.js';
import type { Client } from '../support/app.js';
import { startUi, type UiHarness } from './browser.js';

export const S5 = 'Python FULLSTACK S5';
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(300)]);

export interface EnrollmentUi {
  ui: UiHarness;
  demo: Demo;
  /** Sales B, through the API. */
  sales: Client;
  /** Writes `bytes` as `name` in a temporary folder, for a file input; returns the path. */
  file(name: string, bytes: Buffer): string;
  /** A browser without any session: the customer's phone. */
  anonymous(): Promise<Page>;
}

/** `dataDir` names the DATA_DIR folder the plugin keeps uploads in (one per test file). */
export async function startEnrollmentUi(dataDir: string): Promise<EnrollmentUi> {
  process.env.DATA_DIR = mkdtempSync(path.join(os.tmpdir(), `${dataDir}-`));
  const files = mkdtempSync(path.join(os.tmpdir(), 'stratum-ui-files-'));
  const ui = await startUi({ plugins: [crmPlugin] });
  const demo = await installDemo(ui.app.stratum, { customers: 5 });
  const sales = await ui.app.client().login('sales_b', demo.password);
  return {
    ui,
    demo,
    sales,
    file(name, bytes) {
      const p = path.join(files, name);
      writeFileSync(p, bytes);
      return p;
    },
    async anonymous() {
      const context = await ui.browser.newContext({ baseURL: ui.baseUrl, viewport: { width: 1000, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
      return context.newPage();
    },
  };
}
