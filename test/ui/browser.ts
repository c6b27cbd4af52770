/**
 * Browser tests: Stratum on a real HTTP server (random 127.0.0.1 port) and Debian's chromium
 * driven by playwright-core (`npx playwright install` cannot download browsers here). They run on
 * SQLite only: the UI reaches the database only through the API, whose every route is tested on
 * both dialects, and a second dialect would double the slowest files of the suite.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ADMIN_PASSWORD, startTestApp, type Client, type TestApp, type TestAppOptions } from '../support/app.js';

export const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');

export interface UiHarness {
  app: TestApp;
  admin: Client;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (own cookies and storage), logged in as `username` through the login page. */
  loginAs(username: string, password: string, opts?: { timezoneId?: string }): Promise<Page>;
  /** Saves a full-page PNG under test/ui/screenshots/ (gitignored), for people to look at. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startUi(opts: TestAppOptions = {}): Promise<UiHarness> {
  const app = await startTestApp('sqlite', opts);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    app,
    admin: await app.admin(),
    baseUrl,
    browser,
    async loginAs(username, password, opts = {}) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 }, locale: 'en-US', timezoneId: opts.timezoneId ?? 'UTC' });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('menu').waitFor();
      return page;
    },
    async screenshot(page, name) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}

export const ADMIN = { username: 'admin', password: ADMIN_PASSWORD };

/**
 * `expect.poll` with room for a loaded CI machine: the page renders after a request, and vitest's
 * default of one second is too tight when two test files and MariaDB share two cores.
 */
export const eventually = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 50 });

/** The ids of the rows a record table shows, in order. */
export async function rowIds(page: Page): Promise<number[]> {
  return (await page.getByTestId('records').locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id')))));
}

/** The column titles of the record table (without the sort arrows). */
export async function headers(page: Page): Promise<string[]> {
  return page.getByTestId('records').locator('thead .th-title').allInnerTexts();
}

/** The texts of one column of the record table, in order. */
export async function columnTexts(page: Page, column: string): Promise<string[]> {
  return page.getByTestId('records').locator(`tbody td[data-column="${column}"]`).allInnerTexts();
}

/** A JSON reply of the admin API client that must have the given status. */
export async function ok<T = any>(reply: Promise<{ status: number; body: T }>, status = 201): Promise<T> {
  const r = await reply;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}
