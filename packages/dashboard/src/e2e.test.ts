// End to end in real headless Chromium: a known set of events goes through the real write endpoint,
// then the dashboard, served next to it behind its login, must show exactly those numbers.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendAs, startTestServer, type TestServer, USER_AGENTS } from './e2e-server.ts';
import { requireBuiltApp } from './test-support.ts';

const API_KEY = 'dash-key';
const PASSWORD = 'e2e dashboard password';
const SCREENSHOT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'artifacts',
  'dashboard.png',
);

let server: TestServer;
let context: BrowserContext;
let chromium: Chromium;

const view = (path: string, extra: Record<string, unknown> = {}) => ({
  type: 'pageView',
  url: `https://shop.example${path}`,
  ...extra,
});
const HEADLESS_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36';
const custom = (name: string, path: string) => ({ type: 'custom', name, url: `https://shop.example${path}` });

/** 3 visitors, 3 sessions, 7 page views on 3 pages, 2 custom events, 1 JS error. */
async function sendKnownTraffic(): Promise<void> {
  const statuses = [
    await sendAs(server.url, API_KEY, USER_AGENTS.chrome, [
      view('/', { referrer: 'https://news.ycombinator.com/' }),
      view('/pricing'),
      view('/docs'),
      custom('signup', '/pricing'),
    ]),
    await sendAs(server.url, API_KEY, USER_AGENTS.firefox, [
      view('/'),
      view('/pricing'),
      { type: 'jsError', url: 'https://shop.example/pricing', errorMessage: 'TypeError: cart is undefined' },
    ]),
    await sendAs(server.url, API_KEY, USER_AGENTS.safari, [
      view('/?utm_source=newsletter'),
      view('/docs'),
      custom('download', '/docs'),
    ]),
    // Headless Chromium with its default user agent: dropped as a bot, shown only as a count.
    await sendAs(server.url, API_KEY, HEADLESS_UA, [view('/'), view('/pricing')]),
  ];
  expect(statuses).toEqual([200, 200, 200, 200]);
  await server.skopos.flush();
}

const text = async (page: Page, selector: string): Promise<string> =>
  (await page.locator(selector).textContent()) ?? '';

/** The rows of a top list as `key → count`. */
async function listRows(page: Page, list: string): Promise<Record<string, string>> {
  const rows = page.locator(`[data-list="${list}"] li`);
  const result: Record<string, string> = {};
  for (const row of await rows.all()) {
    result[(await row.getAttribute('data-key')) ?? ''] =
      (await row.locator('.row-count').textContent()) ?? '';
  }
  return result;
}

/** Types `password` into the login form and submits it (a plain form POST, then a redirect). */
async function submitLogin(page: Page, password: string): Promise<void> {
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
}

/** Opens the dashboard, signing in when the server sends the browser to the login. */
async function openSignedIn(page: Page): Promise<void> {
  await page.goto(`${server.url}/_tracker/dashboard/`);
  if (new URL(page.url()).pathname.endsWith('/login')) await submitLogin(page, PASSWORD);
  await page.waitForSelector('body[data-loaded]');
}

beforeAll(async () => {
  requireBuiltApp();
  server = await startTestServer(API_KEY, PASSWORD);
  await sendKnownTraffic();
  chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
  context = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe('the dashboard in Chromium', () => {
  it('shows the numbers of the events sent, updates live, and filters the events table', async () => {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    const keyed: string[] = [];
    page.on('request', (request) => {
      if (request.headers()['x-tracker-key'] !== undefined) keyed.push(request.url());
    });

    // No session: the server sends the browser to the login page.
    await page.goto(`${server.url}/_tracker/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/login');
    expect(await page.locator('#login-error').count()).toBe(0);
    // Its one stylesheet passes the page's CSP (by hash): styled, not blocked.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(246, 247, 249)',
    );
    // The read routes refuse a browser without a session.
    expect((await page.request.get(`${server.url}/_tracker/stats`)).status()).toBe(401);

    await submitLogin(page, 'not the password');
    expect(await text(page, '#login-error')).toBe('Wrong password.');
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/login');
    expect(await context.cookies()).toEqual([]);

    await submitLogin(page, PASSWORD);
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/');
    await page.waitForSelector('body[data-loaded]');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'skopos_session', httpOnly: true, sameSite: 'Strict', path: '/' });
    // HttpOnly: the page's scripts cannot read the session.
    expect(await page.evaluate(() => document.cookie)).not.toContain('skopos_session');

    expect(await text(page, '[data-kpi="visitors"] .kpi-value')).toBe('3');
    expect(await text(page, '[data-kpi="sessions"] .kpi-value')).toBe('3');
    expect(await text(page, '[data-kpi="pageviews"] .kpi-value')).toBe('7');
    expect(await text(page, '[data-kpi="activeNow"] .kpi-value')).toBe('3');
    expect(await text(page, '[data-kpi="botsDropped"] .kpi-value')).toBe('2');
    expect(await listRows(page, 'topPages')).toEqual({ '/': '3', '/pricing': '2', '/docs': '2' });
    expect(await listRows(page, 'eventNames')).toEqual({ signup: '1', download: '1' });
    expect(await listRows(page, 'browsers')).toEqual({ Chrome: '1', Firefox: '1', Safari: '1' });
    expect(await listRows(page, 'referrers')).toEqual({ 'news.ycombinator.com': '1' });
    expect(await listRows(page, 'utmSources')).toEqual({ newsletter: '1' });
    expect(await page.locator('#errors tbody tr').count()).toBe(1);
    expect(await text(page, '#errors tbody tr')).toContain('TypeError: cart is undefined');
    expect(await text(page, '#errors .error-count')).toBe('1');
    expect(await page.locator('#events tbody tr').count()).toBe(10);
    await page.waitForSelector('#health[data-state="online"]');
    expect(await page.locator('#chart canvas').count()).toBe(1);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Live: a new page view shows up on the next poll, without reloading.
    expect(await sendAs(server.url, API_KEY, USER_AGENTS.chrome, [view('/pricing')])).toBe(200);
    await server.skopos.flush();
    await page.waitForFunction(
      () => document.querySelector('[data-kpi="pageviews"] .kpi-value')?.textContent === '8',
      undefined,
      { timeout: 15_000 },
    );
    expect(await listRows(page, 'topPages')).toEqual({ '/': '3', '/pricing': '3', '/docs': '2' });

    // Server-side type filter, then the client-side text filter on the loaded rows.
    await page.selectOption('#events select', 'pageView');
    await page.waitForFunction(() => document.querySelectorAll('#events tbody tr').length === 8);
    await page.fill('#events input[type="search"]', '/docs');
    expect(await page.locator('#events tbody tr').count()).toBe(2);

    // Another range reads the same events.
    await page.click('[data-range="24h"]');
    await page.waitForSelector('[data-range="24h"][aria-pressed="true"]');
    expect(await text(page, '[data-kpi="visitors"] .kpi-value')).toBe('3');
    expect(failures).toEqual([]);
    // The key stayed on the server: no request of the page carried one.
    expect(keyed).toEqual([]);
  }, 60_000); // a cap for a loaded CI machine (the test waits for a live poll), not a timing assertion

  it('says so with a link to the login when the session is gone, and signs out', async () => {
    const page = await context.newPage();
    await openSignedIn(page);
    expect(await page.locator('#problem').isHidden()).toBe(true);

    // The session disappears (expired, server restarted): the next read answers 401.
    await context.clearCookies();
    await page.click('[data-range="7d"]');
    await page.waitForSelector('#problem:not([hidden])');
    expect(await text(page, '#problem')).toContain('You are signed out');
    // No automatic redirect: the page stays where it is and offers the link.
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/');
    await Promise.all([page.waitForNavigation(), page.click('#problem a[data-login-link]')]);
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/login');

    await submitLogin(page, PASSWORD);
    await page.waitForSelector('body[data-loaded]');
    expect(await context.cookies()).toHaveLength(1);
    await Promise.all([page.waitForNavigation(), page.click('#logout button')]);
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/login');
    expect(await context.cookies()).toEqual([]);
    await page.goto(`${server.url}/_tracker/dashboard/`);
    expect(new URL(page.url()).pathname).toBe('/_tracker/dashboard/login');
  });
});
