// End to end in real headless Chromium against a real Skopos server (memory store): the metrics a
// site owner reads after real visits. The server tells visitors apart by IP + user agent and every
// page here comes from 127.0.0.1, so each visitor is a browser context of its own with a desktop
// user agent of its own. Sessions are timed by the tracker's clock (`ts`) and its engagement signal,
// which updates the session and is never listed as an event.
import type { JsErrorSummary } from '@skopos/core';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, not a dependency: @skopos/server depends on this package to serve its script.
import { type RunningServer, startServer } from '../../server/src/index.ts';
import { type PageServer, servePages } from './e2e-page.ts';
import { until } from './e2e-wait.ts';

/** Time on each page: the visit itself, not a wait for the server. */
const ON_PAGE_MS = 2000;
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
];

interface StatsAnswer {
  visitors: number;
  sessions: number;
  pageviews: number;
  bounceRate: number;
  avgDuration: number;
  eventNames: Array<{ key: string; count: number }>;
  jsErrors: JsErrorSummary[];
}

let skopos: RunningServer;
let pages: PageServer;
let origin: string;
let chromium: Chromium;
let browser: Browser;
/** Closed at the end only: closing a context could cut the beacon its closed page just sent. */
const contexts: BrowserContext[] = [];

/**
 * `/shop/…` pages belong to the site `shop`, with a link to `/shop/pricing` and a tagged button;
 * `/broken/…` pages to the site `broken`, each running the same inline script, which throws. The
 * script tag is not `defer`, so the tracker listens before the inline script runs.
 */
function page(path: string, writeEndpoint: string): string {
  const site = path.split('/')[1];
  const content =
    site === 'shop'
      ? '<a href="/shop/pricing">pricing</a><button id="signup" data-skopos-event="signup">sign up</button>'
      : `<script>
  function applyCoupon(code) {
    throw new Error('coupon service unavailable: ' + code.length);
  }
  applyCoupon('SPRING');
</script>`;
  return `<!doctype html><html><head><title>${path}</title>
<script src="/skopos.js" data-site="${site}" data-write-endpoint="${writeEndpoint}" data-allow-localhost></script>
</head><body><h1>${path}</h1>${content}</body></html>`;
}

beforeAll(async () => {
  skopos = await startServer({
    port: 0,
    sites: [{ trackingId: 'shop' }, { trackingId: 'broken' }],
    batchInterval: 50,
    logLevel: 'warn',
  });
  pages = await servePages((url) => page(url, skopos.endpoints.write));
  origin = pages.origin;
  chromium = await launchChromium();
  const owner = chromium.context.browser();
  if (!owner) throw new Error('launchChromium answered a context without its browser');
  browser = owner;
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await chromium?.close();
  await skopos?.close();
  await pages?.close();
});

/** A new visitor: a browser context of its own with its own user agent. */
async function visitor(userAgent: string): Promise<BrowserContext> {
  const context = await browser.newContext({ userAgent, locale: 'en-US' });
  contexts.push(context);
  return context;
}

/** Instants (the machine's clock, which the browser shares) around a visit's first page view and its end. */
interface Visit {
  landing: string;
  /** The landing page's navigation start and the end of its load: its page view happened in between. */
  navigationStart: number;
  loaded: number;
  /** Around closing the tab: its last engagement signal was sent in between. */
  closing: number;
  closed: number;
}

/**
 * Views `paths` in one tab, `ON_PAGE_MS` each (following the link to the next one, clicking the
 * tagged button first when asked), then closes the tab, which sends the last engagement signal.
 */
async function visit(userAgent: string, paths: string[], clickSignup = false): Promise<Visit> {
  const tab = await (await visitor(userAgent)).newPage();
  await tab.goto(`${origin}${paths[0]}`);
  const loaded = Date.now();
  const navigationStart = Math.floor(await tab.evaluate(() => performance.timeOrigin));
  for (const next of paths.slice(1)) {
    await tab.waitForTimeout(ON_PAGE_MS);
    if (clickSignup) await tab.click('#signup');
    await tab.click(`a[href="${next}"]`);
    await tab.waitForURL(`**${next}`);
  }
  await tab.waitForTimeout(ON_PAGE_MS);
  const closing = Date.now();
  await tab.close();
  return { landing: paths[0] as string, navigationStart, loaded, closing, closed: Date.now() };
}

/** The stats a site owner reads: the last 24 h, or the events between `since` and `until`. */
async function stats(site: string, since?: number, until?: number): Promise<StatsAnswer> {
  const url = new URL(skopos.endpoints.stats);
  url.searchParams.set('site', site);
  if (since !== undefined) url.searchParams.set('since', new Date(since).toISOString());
  if (until !== undefined) url.searchParams.set('until', new Date(until).toISOString());
  return (await (await fetch(url)).json()) as StatsAnswer;
}

interface StoredEvent {
  type: string;
  path: string;
  eventName: string;
  /** ISO: the browser's clock when it was believable. */
  timestamp: string;
}

async function storedEvents(site: string): Promise<StoredEvent[]> {
  const response = await fetch(`${skopos.endpoints.read}?site=${site}&order=asc&limit=100`);
  return ((await response.json()) as { events: StoredEvent[] }).events;
}

describe('engagement and timing from the tracker, in Chromium', () => {
  it('3 visitors who each view one page for 2 s bounce, 1 who views 2 pages does not: 75 %, sessions timed by the client', async () => {
    const signalsBefore = skopos.skopos.counters().signals;
    // One after the other, so that each visit's events have a time window of their own.
    const visits = [
      await visit(USER_AGENTS[0] as string, ['/shop/about']),
      await visit(USER_AGENTS[1] as string, ['/shop/blog']),
      await visit(USER_AGENTS[2] as string, ['/shop/docs']),
      await visit(USER_AGENTS[3] as string, ['/shop/', '/shop/pricing'], true),
    ];
    // One signal per page left: the last ones come by beacon after the tabs closed.
    await until(() => skopos.skopos.counters().signals - signalsBefore >= 5);
    await skopos.skopos.flush();
    const shop = await stats('shop');
    const stored = await storedEvents('shop');

    expect([shop.visitors, shop.sessions, shop.pageviews]).toEqual([4, 4, 5]);
    expect(shop.bounceRate).toBe(0.75);
    // The signal is no event: only what the visitors did is listed and stored.
    expect(shop.eventNames).toEqual([{ key: 'signup', count: 1 }]);
    expect(stored.map((event) => [event.type, event.path, event.eventName]).sort()).toEqual([
      ['custom', '/shop/', 'signup'],
      ['pageView', '/shop/', ''],
      ['pageView', '/shop/about', ''],
      ['pageView', '/shop/blog', ''],
      ['pageView', '/shop/docs', ''],
      ['pageView', '/shop/pricing', ''],
    ]);

    // Events carry the browser's clock: each landing page view is timed during its page load, not
    // when its batch reached the server (with the last signal, once the tab closed).
    const landed = (visit: Visit) =>
      Date.parse(
        stored.find((event) => event.type === 'pageView' && event.path === visit.landing)?.timestamp ?? '',
      );
    for (const visit of visits) {
      expect(landed(visit), visit.landing).toBeGreaterThanOrEqual(visit.navigationStart);
      expect(landed(visit), visit.landing).toBeLessThanOrEqual(visit.loaded);
    }
    // A session lasts from its first page view to its last signal, both by that clock, in whole
    // seconds: about 2 s for each bounce and 4 s for the two pages.
    const durations: number[] = [];
    for (const visit of visits) {
      const alone = await stats('shop', visit.navigationStart, visit.closed);
      const shortest = Math.round((visit.closing - landed(visit)) / 1000);
      const longest = Math.round((visit.closed - landed(visit)) / 1000);
      expect([alone.sessions, alone.bounceRate], visit.landing).toEqual([
        1,
        visit.landing === '/shop/' ? 0 : 1,
      ]);
      expect(alone.avgDuration, visit.landing).toBeGreaterThanOrEqual(shortest);
      expect(alone.avgDuration, visit.landing).toBeLessThanOrEqual(longest);
      expect(alone.avgDuration, visit.landing).toBeGreaterThanOrEqual(visit.landing === '/shop/' ? 4 : 2);
      durations.push(alone.avgDuration);
    }
    expect(shop.avgDuration).toBeCloseTo(
      durations.reduce((sum, duration) => sum + duration, 0) / durations.length,
    );
  }, 60_000);

  it('one error thrown by the same inline script on 3 pages is one row: count 3, its 3 pages', async () => {
    const tab = await (await visitor(USER_AGENTS[0] as string)).newPage();
    for (const path of ['/broken/cart', '/broken/checkout', '/broken/account'])
      await tab.goto(`${origin}${path}`);
    await tab.close();
    await until(
      async () => (await storedEvents('broken')).filter((event) => event.type === 'jsError').length >= 3,
    );
    await skopos.skopos.flushJsErrors();
    const { jsErrors } = await stats('broken');

    expect(jsErrors.map((error) => [error.errorMessage, error.count])).toEqual([
      ['coupon service unavailable: 6', 3],
    ]);
    expect(jsErrors[0]?.pages.slice().sort()).toEqual([
      '/broken/account',
      '/broken/cart',
      '/broken/checkout',
    ]);
  }, 30_000);
});
