// End to end in real headless Chromium: a known set of events goes through the real write endpoint,
// then the dashboard, served next to it behind its login, must show exactly those numbers.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Stats } from '@skopos/core';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AHEAD_OF_NOW_MS } from './app/state.ts';
import { sendAs, startTestServer, type TestServer, USER_AGENTS } from './e2e-server.ts';
import { requireBuiltApp } from './test-support.ts';

const API_KEY = 'dash-key';
const PASSWORD = 'e2e dashboard password';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'artifacts');
const SCREENSHOT = join(ARTIFACTS, 'dashboard.png');

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

/** Opens the dashboard (with `query`), signing in when the server sends the browser to the login. */
async function openSignedIn(page: Page, query = ''): Promise<void> {
  await page.goto(`${server.url}/_tracker/dashboard/${query}`);
  if (new URL(page.url()).pathname.endsWith('/login')) {
    await submitLogin(page, PASSWORD);
    if (query) await page.goto(`${server.url}/_tracker/dashboard/${query}`);
  }
  await page.waitForSelector('body[data-loaded]');
}

/** The page's stats answer that `action` (a reload, a click) makes it read. */
async function statsAfter(page: Page, action: () => Promise<unknown>): Promise<{ url: URL; stats: Stats }> {
  const [response] = await Promise.all([
    page.waitForResponse((r: Response) => new URL(r.url()).pathname === '/_tracker/stats' && r.ok()),
    action(),
  ]);
  await page.waitForSelector('body[data-loaded]');
  return { url: new URL(response.url()), stats: (await response.json()) as Stats };
}

/** `query` of the page's URL, as an object. */
const pageQuery = (page: Page): Record<string, string> =>
  Object.fromEntries(new URL(page.url()).searchParams);

/** The same formatter the page uses for every date and time (the browser's locale). */
const pageTime = (page: Page, value: number | string): Promise<string> =>
  page.evaluate(
    (v) =>
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(v)),
    value,
  );

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
    expect(await page.locator('#chart svg').count()).toBe(1);

    // The bots are also in the dropped strip, which shows the stats answer's `dropped` object.
    const served = (await (await page.request.get(`${server.url}/_tracker/stats`)).json()) as Stats;
    expect(served.dropped).toMatchObject({ bot: 2 });
    const strip: Record<string, string> = {};
    for (const chip of await page.locator('#dropped .chip[data-reason]').all()) {
      strip[(await chip.getAttribute('data-reason')) ?? ''] = (await chip.locator('b').textContent()) ?? '';
    }
    expect(strip).toEqual(
      Object.fromEntries(
        Object.entries(served.dropped ?? {})
          .filter(([, n]) => n)
          .map(([k, n]) => [k, String(n)]),
      ),
    );
    // The range (24 h) began before this server did: the strip says from when it knows.
    expect(served.droppedSince).toBeGreaterThan(Date.now() - 3_600_000);
    expect(await text(page, '#dropped')).toContain('the server counts drops in memory, from its start');
    // No geo source on this server: the countries card says so instead of staying blank.
    expect(await text(page, '[data-list="countries"] .empty')).toBe(
      'No country data: configure a geo source (skopos serve --geoip, or CDN country headers).',
    );
    // And no map: an empty one would read as "no visitors from anywhere".
    expect(await page.locator('[data-list="countries"] .world-map').count()).toBe(0);

    // Type and level options: only what the window holds, so each one matches something.
    const options = async (select: string): Promise<string[]> =>
      page.locator(`${select} option`).evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    expect((await options('#type-filter')).sort()).toEqual(['', 'custom', 'jsError', 'pageView']);
    expect((await options('#level-filter')).sort()).toEqual(['', 'error', 'info']);

    // One date format everywhere: the browser locale's, the same in both tables.
    const eventTime =
      (await page.locator('#events tbody td[data-time]').first().getAttribute('data-time')) ?? '';
    expect(await page.locator('#events tbody td[data-time]').first().textContent()).toBe(
      await pageTime(page, eventTime),
    );
    const errorSeen = Number(await page.locator('#errors td[data-time]').getAttribute('data-time'));
    expect(await text(page, '#errors td[data-time]')).toBe(await pageTime(page, errorSeen));

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

    // Server-side type filter, then the server-side text search; both go into the URL.
    await page.selectOption('#type-filter', 'pageView');
    await page.waitForFunction(() => document.querySelectorAll('#events tbody tr').length === 8);
    expect(pageQuery(page)).toEqual({ type: 'pageView' });
    await page.fill('#search-filter', '/docs');
    await page.waitForFunction(() => document.querySelectorAll('#events tbody tr').length === 2);
    await page.waitForURL((url) => url.searchParams.get('q') === '/docs');
    await page.selectOption('#level-filter', 'info');
    await page.waitForURL((url) => url.searchParams.get('level') === 'info');
    expect(await page.locator('#events tbody tr').count()).toBe(2);

    // Another range reads the same events.
    await page.click('[data-range="24h"]');
    await page.waitForSelector('[data-range="24h"][aria-pressed="true"]');
    expect(await text(page, '[data-kpi="visitors"] .kpi-value')).toBe('3');
    expect(failures).toEqual([]);
    // The key stayed on the server: no request of the page carried one.
    expect(keyed).toEqual([]);
  }, 60_000); // a cap for a loaded CI machine (the test waits for a live poll), not a timing assertion

  it("scales the chart to every series and shows a bucket's values on hover and with the keyboard", async () => {
    const page = await context.newPage();
    await openSignedIn(page);
    const { stats } = await statsAfter(page, () => page.reload());
    const max = (key: 'pageviews' | 'sessions' | 'events') => Math.max(...stats.series.map((p) => p[key]));
    // The Events series is the largest here (pageviews + custom events + the error).
    expect(max('events')).toBeGreaterThan(max('pageviews'));

    // The top label of the y-axis is at least every series' maximum, and no line runs above it.
    const labels = await page.locator('#chart .y-label').allTextContents();
    const top = Number((labels.at(-1) ?? '').replace(/\D/g, ''));
    for (const key of ['pageviews', 'sessions', 'events'] as const)
      expect(top).toBeGreaterThanOrEqual(max(key));
    const geometry = await page.evaluate(() => {
      const grid = [...document.querySelectorAll<SVGLineElement>('#chart .grid')];
      const topY = Math.min(...grid.map((g) => Number(g.getAttribute('y1'))));
      const lines = [...document.querySelectorAll<SVGPathElement>('#chart .line')];
      return { topY, lineTops: lines.map((l) => l.getBBox().y), count: lines.length };
    });
    expect(geometry.count).toBe(3);
    for (const y of geometry.lineTops) expect(y).toBeGreaterThanOrEqual(geometry.topY - 1);

    // Hovering the busiest bucket: a guide and a tooltip with its time and each series' value.
    const busiest = stats.series.reduce((a, b) => (b.events > a.events ? b : a));
    await page.hover(`#chart .hit[data-t="${busiest.t}"]`);
    await page.waitForSelector('#chart .tip:not([hidden])');
    expect(await page.locator('#chart .guide').count()).toBe(1);
    expect(await text(page, '#chart .tip strong')).toBe(await pageTime(page, busiest.t));
    for (const key of ['pageviews', 'sessions', 'events'] as const) {
      expect(await text(page, `#chart .tip [data-series="${key}"] b`)).toBe(String(busiest[key]));
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('.chart-card').screenshot({ path: join(ARTIFACTS, 'dashboard-chart-hover.png') });

    // Hiding a series rescales the axis to the ones still shown.
    await page.click('#chart .legend [data-series="events"]');
    await page.waitForFunction(() => document.querySelectorAll('#chart .line').length === 2);
    const shown = Math.max(max('pageviews'), max('sessions'));
    const rescaled = Number(
      ((await page.locator('#chart .y-label').allTextContents()).at(-1) ?? '').replace(/\D/g, ''),
    );
    expect(rescaled).toBeGreaterThanOrEqual(shown);
    expect(rescaled).toBeLessThanOrEqual(top);
    await page.click('#chart .legend [data-series="events"]');

    // The keyboard reads the same values: End is the newest bucket, the one of now (the read goes
    // 5 minutes past now for fast client clocks; the empty buckets after now are not drawn).
    await page.mouse.move(0, 0);
    await page.waitForSelector('#chart .tip', { state: 'hidden' });
    await page.focus('#chart .plot');
    await page.keyboard.press('End');
    await page.waitForSelector('#chart .tip:not([hidden])');
    const lastDrawn = Number(await page.locator('#chart .hit').last().getAttribute('data-t'));
    expect(lastDrawn).toBeLessThanOrEqual(Date.now());
    expect(stats.series.at(-1)?.t).toBeGreaterThan(Date.now());
    expect(await text(page, '#chart .tip strong')).toBe(await pageTime(page, lastDrawn));
    await page.close();
  });

  it('keeps range, site and filters in the URL, through a reload and back/forward', async () => {
    // Events on a second site (the read endpoint answers for every site without ?site=).
    expect(
      await sendAs(
        server.url,
        API_KEY,
        USER_AGENTS.firefox,
        [
          { type: 'pageView', url: 'https://blog.example/post-1' },
          { type: 'pageView', url: 'https://blog.example/post-2' },
        ],
        'blog',
      ),
    ).toBe(200);
    await server.skopos.flush();
    const page = await context.newPage();
    await openSignedIn(page);
    await page.waitForSelector('#site-picker:not([hidden])');
    const sites = await page
      .locator('#site option')
      .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    // `quiet` has no event: the picker has it from the server's site list, not from events.
    expect(sites).toEqual(['', 'blog', 'demo', 'quiet']);
    expect(await text(page, '[data-kpi="pageviews"] .kpi-value')).toBe('10'); // both sites

    const blog = await statsAfter(page, () => page.selectOption('#site', 'blog'));
    expect(blog.url.searchParams.get('site')).toBe('blog');
    expect(await text(page, '[data-kpi="pageviews"] .kpi-value')).toBe('2');
    // 6h: the stats read spans six hours up to now, and 5 minutes past it for fast client clocks.
    const sixHours = await statsAfter(page, () => page.click('[data-range="6h"]'));
    const span =
      Date.parse(sixHours.url.searchParams.get('until') ?? '') -
      Date.parse(sixHours.url.searchParams.get('since') ?? '');
    expect(span).toBe(6 * 3_600_000 + AHEAD_OF_NOW_MS);
    await page.selectOption('#type-filter', 'pageView');
    await page.waitForURL((url) => url.searchParams.get('type') === 'pageView');
    expect(pageQuery(page)).toEqual({ site: 'blog', range: '6h', type: 'pageView' });

    // A reload restores all three.
    await page.reload();
    await page.waitForSelector('body[data-loaded]');
    expect(await page.locator('[data-range="6h"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.inputValue('#site')).toBe('blog');
    expect(await page.inputValue('#type-filter')).toBe('pageView');
    expect(await text(page, '[data-kpi="pageviews"] .kpi-value')).toBe('2');
    expect(await page.locator('#events tbody tr').count()).toBe(2);

    // Back: the type filter goes; back again: the range returns to Live; forward: 6h again.
    await page.goBack();
    await page.waitForFunction(
      () => (document.getElementById('type-filter') as HTMLSelectElement).value === '',
    );
    expect(pageQuery(page)).toEqual({ site: 'blog', range: '6h' });
    await page.goBack();
    await page.waitForSelector('[data-range="live"][aria-pressed="true"]');
    expect(pageQuery(page)).toEqual({ site: 'blog' });
    await page.goForward();
    await page.waitForSelector('[data-range="6h"][aria-pressed="true"]');

    // A custom range: two datetime inputs, their instants in the URL and in the reads.
    await page.click('[data-range="custom"]');
    await page.waitForSelector('#custom-range:not([hidden])');
    const from = await page.evaluate(() => {
      const d = new Date(Date.now() - 2 * 3_600_000);
      d.setSeconds(0, 0);
      return {
        local: new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16),
        iso: d.toISOString(),
      };
    });
    const custom = await statsAfter(page, () => page.fill('#from', from.local));
    expect(custom.url.searchParams.get('since')).toBe(from.iso);
    expect(pageQuery(page)).toMatchObject({ site: 'blog', range: 'custom', from: from.iso });
    await page.reload();
    await page.waitForSelector('body[data-loaded]');
    expect(await page.inputValue('#from')).toBe(from.local);
    expect(await text(page, '[data-kpi="pageviews"] .kpi-value')).toBe('2');
    // An end before the start: the message, and not the figures of the range before under it.
    const before = await page.evaluate((start) => {
      const d = new Date(new Date(start).getTime() - 3_600_000);
      return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    }, from.iso);
    await page.fill('#to', before);
    await page.waitForSelector('#problem:not([hidden])');
    expect(await page.locator('main').isHidden()).toBe(true);
    await statsAfter(page, () => page.click('[data-range="24h"]'));
    expect(await page.locator('main').isVisible()).toBe(true);
    expect(await page.locator('#problem').isHidden()).toBe(true);
    await page.close();
  });

  it('follows the system theme, remembers the toggle, and fits a 390 px phone', async () => {
    const page = await context.newPage();
    const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    await openSignedIn(page);
    await page.evaluate(() => localStorage.removeItem('skopos-dashboard-theme'));
    await page.reload();
    await page.waitForSelector('body[data-loaded]');
    expect(await background()).toBe('rgb(11, 17, 32)'); // the system says dark
    await page.click('#theme');
    expect(await background()).toBe('rgb(246, 247, 251)');
    await page.reload();
    await page.waitForSelector('body[data-loaded]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await background()).toBe('rgb(246, 247, 251)'); // the choice outlives the reload

    mkdirSync(ARTIFACTS, { recursive: true });
    const shoot = async (width: number, theme: 'light' | 'dark'): Promise<void> => {
      await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
      if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== theme)
        await page.click('#theme');
      await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
      await page.waitForFunction(
        (w) => document.querySelector('#chart svg')?.getAttribute('width') === String(w),
        Math.max(260, await page.locator('#chart .plot').evaluate((p) => p.clientWidth)),
      );
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}-${theme}.png`), fullPage: true });
      // What a phone shows before scrolling.
      if (width < 500)
        await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}-${theme}-top.png`) });
    };
    await shoot(1280, 'light');
    await shoot(1280, 'dark');
    await shoot(390, 'dark');
    // The light phone shot shows the custom range's inputs.
    await page.click('[data-range="custom"]');
    await page.waitForSelector('#custom-range:not([hidden])');
    await page.waitForSelector('body[data-loaded]');
    await shoot(390, 'light');

    // 390 px: no horizontal scroll, and every range button is on screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    for (const button of await page.locator('[data-range]').all()) {
      const box = await button.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    await page.evaluate(() => localStorage.removeItem('skopos-dashboard-theme'));
    await page.close();
  });

  it('opens the detail of an event, and reads the search operators', async () => {
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    await openSignedIn(page, '?range=24h');
    const errorRow = '#events tbody tr[data-type="jsError"]';
    await page.waitForSelector(errorRow);
    // The event as the read endpoint answers it (the page's session cookie goes along).
    const until = Date.now();
    const read = await page.request.get(
      `${server.url}/_tracker?type=jsError&since=${new Date(until - 86_400_000).toISOString()}&until=${new Date(until).toISOString()}`,
    );
    expect(read.status()).toBe(200);
    const [wire] = ((await read.json()) as { events: Record<string, unknown>[] }).events;
    expect(wire).toBeDefined();

    // A click on the row opens the panel with every field; the JSON ones pretty-printed.
    await page.click(errorRow);
    await page.waitForSelector('#event-detail[open]');
    const field = (key: string) => text(page, `#event-detail [data-field="${key}"]`);
    expect(await field('id')).toBe(String(wire?.id));
    expect(await field('type')).toBe('jsError');
    expect(await field('timestamp')).toBe(await pageTime(page, String(wire?.timestamp)));
    expect(await field('payload')).toBe(JSON.stringify(wire?.payload, null, 2));
    expect(await text(page, '#event-detail')).toContain('TypeError: cart is undefined');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-event-detail.png') });
    // Escape closes it.
    await page.keyboard.press('Escape');
    await page.waitForSelector('#event-detail', { state: 'hidden' });
    expect(await page.locator('#event-detail[open]').count()).toBe(0);
    // The keyboard: Enter on a focused row opens it.
    await page.focus(errorRow);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#event-detail[open]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#event-detail', { state: 'hidden' });
    // The focus goes back to the row.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-type'))).toBe('jsError');

    // The hint lists the operators.
    expect(await text(page, '#search-hint')).toContain('type:click');
    // `type:jsError` is the read's `type`: only jsError rows, and the URL carries it.
    const tableRead = (check: (params: URLSearchParams) => boolean) =>
      page.waitForResponse((r: Response) => {
        const url = new URL(r.url());
        return (
          url.pathname === '/_tracker' && url.searchParams.get('limit') === '50' && check(url.searchParams)
        );
      });
    const [typed] = await Promise.all([
      tableRead((params) => params.get('type') === 'jsError'),
      page.fill('#search-filter', 'type:jsError'),
    ]);
    expect(new URL(typed.url()).searchParams.has('search')).toBe(false);
    await page.waitForURL((url) => url.searchParams.get('q') === 'type:jsError');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll<HTMLElement>('#events tbody tr')];
      return rows.length > 0 && rows.every((row) => row.dataset.type === 'jsError');
    });
    expect(await page.locator('#events tbody tr').count()).toBe(1);

    // `-pricing` filters the loaded rows in the browser: the read has no `search`.
    const [negated] = await Promise.all([
      tableRead((params) => !params.has('type')),
      page.fill('#search-filter', '-pricing'),
    ]);
    expect(new URL(negated.url()).searchParams.has('search')).toBe(false);
    await page.waitForURL((url) => url.searchParams.get('q') === '-pricing');
    await page.waitForFunction(() => {
      const paths = [...document.querySelectorAll('#events tbody td[data-col="path"]')].map(
        (td) => td.textContent ?? '',
      );
      return paths.length > 0 && paths.every((path) => !path.includes('pricing'));
    });
    expect(await text(page, '[data-events-total]')).toContain('hidden by -word');
    expect(failures).toEqual([]);
    await page.close();
  });

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

  it('shades the countries sessions come from on the world map, beside their list', async () => {
    // New visitors (their own user agents) behind a CDN that names their country: 3 DE, 2 JP, 1 US, 1 BR.
    const countries = ['DE', 'DE', 'DE', 'JP', 'JP', 'US', 'BR'];
    for (const [i, country] of countries.entries()) {
      const agent = USER_AGENTS.chrome.replace('131.0.0.0', `131.0.${i}.1`);
      const headers = { 'cf-ipcountry': country };
      expect(await sendAs(server.url, API_KEY, agent, [view('/')], 'demo', headers)).toBe(200);
    }
    await server.skopos.flush();
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await openSignedIn(page);
    const card = page.locator('[data-list="countries"]');
    const shape = (code: string) => card.locator(`.world-map path[data-code="${code}"]`);
    await shape('DE').waitFor();

    // The list stays, as the precise view; the map shades the same rows, the busiest the most.
    expect(await listRows(page, 'countries')).toEqual({ DE: '3', JP: '2', BR: '1', US: '1' });
    expect(await card.locator('.empty').count()).toBe(0);
    const shades = Object.fromEntries(
      await Promise.all(
        ['DE', 'JP', 'US', 'BR', 'FR'].map(async (code) => [code, await shape(code).getAttribute('class')]),
      ),
    );
    expect(shades).toEqual({ DE: 'shade-5', JP: 'shade-4', US: 'shade-1', BR: 'shade-1', FR: 'shade-0' });
    // Hovering a country shows its name, code and count.
    expect(await shape('DE').locator('title').textContent()).toMatch(/\(DE\): 3 sessions$/);
    expect(await shape('US').locator('title').textContent()).toMatch(/\(US\): 1 session$/);
    expect(await shape('FR').locator('title').textContent()).toMatch(/\(FR\): no sessions$/);
    // The shades are the theme's accent: the busiest country in it, the others in lighter steps of it.
    const fill = (code: string) => shape(code).evaluate((path) => getComputedStyle(path).fill);
    const accent = await page.evaluate(() => {
      const probe = document.createElement('i');
      probe.style.color = 'var(--accent)';
      document.body.append(probe);
      const color = getComputedStyle(probe).color;
      probe.remove();
      return color;
    });
    expect(await fill('DE')).toBe(accent);
    expect(new Set([await fill('DE'), await fill('JP'), await fill('US'), await fill('FR')]).size).toBe(4);
    // One image to a screen reader, summarised; the list reads the rows.
    const map = card.locator('.world-map svg');
    expect(await map.getAttribute('role')).toBe('img');
    expect(await map.getAttribute('aria-label')).toMatch(
      /^World map of sessions by country: 4 countries, most from .*\(DE\): 3 sessions$/,
    );

    mkdirSync(ARTIFACTS, { recursive: true });
    await card.screenshot({ path: join(ARTIFACTS, 'dashboard-countries-1280.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-countries-1280-page.png'), fullPage: true });
    await page.click('#theme');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
    expect(await fill('DE')).not.toBe(accent); // the dark theme's accent
    await card.screenshot({ path: join(ARTIFACTS, 'dashboard-countries-1280-dark.png') });
    await page.click('#theme');

    // A 390 px phone: the map is drawn across the card, above the list, and nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 390);
    const box = await map.boundingBox();
    const rowsBox = await card.locator('.rows').boundingBox();
    expect(box && rowsBox && box.x >= 0 && box.x + box.width <= 390 && box.width > 250).toBe(true);
    expect(box && rowsBox && rowsBox.y >= box.y + box.height).toBe(true);
    await card.screenshot({ path: join(ARTIFACTS, 'dashboard-countries-390.png') });
    await page.evaluate(() => localStorage.removeItem('skopos-dashboard-theme'));
    await page.close();
  });

  it('keeps the rows loaded with "Load more" through live refreshes', async () => {
    const page = await context.newPage();
    await openSignedIn(page, '?site=quiet&range=live');
    // A site without a session has no bounce rate and no session length: a dash, not "0s".
    expect(await text(page, '[data-kpi="bounceRate"] .kpi-value')).toBe('–');
    expect(await text(page, '[data-kpi="avgDuration"] .kpi-value')).toBe('–');
    // 120 page views on that site (the last test: the other tests' figures are read).
    const views = Array.from({ length: 120 }, (_, i) => view(`/p/${i}`));
    for (let at = 0; at < views.length; at += 40) {
      expect(await sendAs(server.url, API_KEY, USER_AGENTS.chrome, views.slice(at, at + 40), 'quiet')).toBe(
        200,
      );
    }
    await server.skopos.flush();
    const rows = () => page.locator('#events tbody tr').count();
    await page.waitForFunction(() => document.querySelectorAll('#events tbody tr').length === 50);
    for (const loaded of [100, 120]) {
      await page.click('#events button.more');
      await page.waitForFunction((n) => document.querySelectorAll('#events tbody tr').length === n, loaded);
    }
    expect(await page.locator('#events button.more').isHidden()).toBe(true);
    // A new page view: once the live refresh has shown it in the figures, the table still holds every row.
    expect(await sendAs(server.url, API_KEY, USER_AGENTS.chrome, [view('/late')], 'quiet')).toBe(200);
    await server.skopos.flush();
    await page.waitForFunction(
      () => document.querySelector('[data-kpi="pageviews"] .kpi-value')?.textContent === '121',
      undefined,
      { timeout: 30_000 },
    );
    expect(await rows()).toBe(120);
    expect(await text(page, '[data-events-total]')).toContain('120 shown of');
    await page.close();
  }, 60_000); // a cap for a loaded CI machine (the test waits for a live poll), not a timing assertion
});
