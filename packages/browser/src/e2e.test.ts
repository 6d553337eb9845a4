// End to end in real headless Chromium: the built script on a demo page on 127.0.0.1, sending to a
// real Skopos server, whose read endpoint must then hold exactly what the visit produced.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, not a dependency: @skopos/server depends on this package to serve its script.
import { type RunningServer, startServer } from '../../server/src/index.ts';
import { bundleIife, IIFE_ENTRIES } from '../scripts/iife.ts';
import { demoPage } from './e2e-page.ts';
import { until } from './e2e-wait.ts';

/** Sessions are timed in whole seconds: the rounding a duration may add to the time measured around the visit. */
const TOLERANCE_S = 0.5;
const API_KEY = 'e2e-key';

interface StoredEvent {
  type: string;
  path: string;
  eventName: string;
  eventData?: Record<string, unknown>;
}

let skopos: RunningServer;
let pages: Server;
let pageOrigin: string;
let context: BrowserContext;
let chromium: Chromium;

async function serveDemo(script: string, writeEndpoint: string): Promise<void> {
  pages = createServer((request, response) => {
    if (request.url === '/skopos.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(demoPage(writeEndpoint, API_KEY));
    }
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
}

async function storedEvents(): Promise<StoredEvent[]> {
  const response = await fetch(`${skopos.endpoints.read}?site=demo&order=asc&limit=1000`, {
    headers: { 'x-tracker-key': API_KEY },
  });
  return ((await response.json()) as { events: StoredEvent[] }).events;
}

/** The stored events once `count` are there (or after the wait's timeout). */
async function waitForEvents(count: number): Promise<StoredEvent[]> {
  let events: StoredEvent[] = [];
  await until(async () => {
    events = await storedEvents();
    return events.length >= count;
  });
  return events;
}

beforeAll(async () => {
  skopos = await startServer({
    port: 0,
    sites: [{ trackingId: 'demo' }],
    batchInterval: 50,
    logLevel: 'warn',
  });
  await serveDemo(await bundleIife(IIFE_ENTRIES['skopos.global.js']), skopos.endpoints.write);
  chromium = await launchChromium();
  context = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
  await skopos?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

describe('the script tag in Chromium', () => {
  it('delivers page views, SPA routes, errors, custom and tagged events up to the final beacon, and times the visit by the browser clock', async () => {
    const page = await context.newPage();
    const pause = (ms: number) => page.waitForTimeout(ms);

    const beforeLoad = Date.now();
    await page.goto(`${pageOrigin}/home?utm_source=e2e`);
    const loaded = Date.now();
    await pause(1200);
    await page.evaluate(() => history.pushState(null, '', '/products'));
    await page.evaluate(() => history.replaceState({ scroll: 1 }, '', '/products'));
    await pause(800);
    await page.evaluate(() => history.back());
    await page.waitForURL('**/home?utm_source=e2e');
    // Thrown from a task of its own, as an uncaught error is; resolves once it has been reported.
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          setTimeout(() => {
            setTimeout(resolve);
            throw new Error('e2e boom');
          }),
        ),
    );
    await page.evaluate(() => window.skopos?.track('purchase', { amount: 42 }));
    await page.click('#signup span');
    await pause(600);
    const closing = Date.now();
    await page.close();
    const closed = Date.now();

    const events = await waitForEvents(6);
    const seen = events.map((event) => [event.type, event.path, event.eventName]);
    // The engagement signals (one per page left) update the session: they are not events.
    expect(seen).toEqual([
      ['pageView', '/home', ''],
      ['pageView', '/products', ''],
      ['pageView', '/home', ''],
      ['jsError', '/home', 'e2e boom'],
      ['custom', '/home', 'purchase'],
      ['custom', '/home', 'signup'],
    ]);
    const byName = (name: string) =>
      events.filter((event) => event.eventName === name).map((event) => event.eventData);
    expect(byName('purchase')).toEqual([{ amount: 42 }]);
    expect(byName('signup')).toEqual([{ plan: 'pro' }]);
    // One visit: one session, its campaign from the landing URL, the error merged into js_errors,
    // and its duration from the first page view to the last page's signal, by the browser's clock
    // (whole seconds), although the last batch left only when the page closed.
    await until(() => skopos.skopos.counters().signals >= 3);
    await skopos.skopos.flush();
    await skopos.skopos.flushJsErrors();
    const stats = await skopos.skopos.stats({ since: 0, until: Date.now() + 1000 });
    expect(stats.sessions).toBe(1);
    expect(stats.utmSources).toEqual([{ key: 'e2e', count: 1 }]);
    expect(stats.jsErrors.map((error) => [error.errorMessage, error.count])).toEqual([['e2e boom', 1]]);
    expect(stats.avgDuration).toBeGreaterThanOrEqual((closing - loaded) / 1000 - TOLERANCE_S);
    expect(stats.avgDuration).toBeLessThanOrEqual((closed - beforeLoad) / 1000 + TOLERANCE_S);
  });
});
