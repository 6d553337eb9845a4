// vite-plugin-monitor's views in real headless Chromium: a recorded session of the peer's client
// (HTTP calls answered 200 and 400 and failed, navigations, errors) goes through the write endpoint,
// then the HTTP and Navigation panels, the error-rate chart and the filters must show what the
// peer's own definitions make of those events.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMonitor, recordedSession } from './e2e-monitor-fixture.ts';
import { formats, shootThemes, signIn, text } from './e2e-monitor-support.ts';
import { sendAs, startTestServer, type TestServer, USER_AGENTS } from './e2e-server.ts';
import { requireBuiltApp } from './test-support.ts';

const API_KEY = 'monitor-key';
const PASSWORD = 'e2e monitor password';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'artifacts');
const SITE = 'my-app';
const events = recordedSession();
const expected = expectedMonitor(events);

let server: TestServer;
let chromium: Chromium;

beforeAll(async () => {
  requireBuiltApp();
  server = await startTestServer(API_KEY, PASSWORD, [SITE]);
  // In the client's batch size (its default, 25 at most), in recorded order.
  for (let i = 0; i < events.length; i += 20) {
    expect(await sendAs(server.url, API_KEY, USER_AGENTS.chrome, events.slice(i, i + 20), SITE)).toBe(200);
  }
  await server.skopos.flush();
  chromium = await launchChromium({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

describe("vite-plugin-monitor's views in Chromium", () => {
  it('shows HTTP stats, the navigation funnel, the error rate and the filters the session implies', async () => {
    const page = await chromium.context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (error) => failures.push(error.message));
    const stats = await signIn(page, server.url, PASSWORD);
    expect(stats.http, 'the store answers the HTTP stats').toBeDefined();

    // HTTP: 11 calls, 3 answered 2xx, 6 answered 400, 2 failed without a status.
    expect(expected.byClass).toEqual({ '2xx': 3, '3xx': 0, '4xx': 6, '5xx': 0, failed: 2 });
    const endpoints = [...expected.endpoints];
    const shown = await formats(page, {
      rates: [expected.errorRate],
      ms: [expected.avgDuration, ...endpoints.map(([, e]) => e.avgDuration), ...expected.slowestDurations],
    });
    await page.waitForSelector('#http:not([hidden])');
    expect(await text(page, '[data-http="calls"] strong')).toBe(String(expected.calls));
    expect(await text(page, '[data-http="errorRate"] strong')).toBe(shown.rates[0]);
    expect(await text(page, '[data-http="avgDuration"] strong')).toBe(shown.ms[0]);
    expect(await text(page, '[data-http="failed"] strong')).toBe(String(expected.byClass.failed));
    for (const [status, count] of Object.entries(expected.byClass)) {
      expect(await text(page, `.status-legend [data-status="${status}"] b`), status).toBe(String(count));
    }
    // Most called: every endpoint with its calls, errors and mean duration; the busiest first.
    const rows = page.locator('[data-http-list="endpoints"] tbody tr');
    expect(await rows.count()).toBe(endpoints.length);
    const busiest = endpoints.reduce((a, b) => (b[1].calls > a[1].calls ? b : a));
    expect(await rows.first().getAttribute('data-key')).toBe(busiest[0]);
    for (const [i, [key, e]] of endpoints.entries()) {
      const row = page.locator(`[data-http-list="endpoints"] tr[data-key="${key}"]`);
      expect(await row.locator('[data-col="Calls"]').textContent(), key).toBe(String(e.calls));
      expect(await row.locator('[data-col="Errors"]').textContent(), key).toBe(String(e.errors));
      expect(await row.locator('[data-col="Avg."]').textContent(), key).toBe(shown.ms[i + 1]);
    }
    // Slowest: by mean duration, the slowest first.
    const slowest = [...endpoints].sort((a, b) => b[1].avgDuration - a[1].avgDuration).map(([key]) => key);
    const slowRows = page.locator('[data-http-list="slowest"] tbody tr');
    expect(await slowRows.evaluateAll((all) => all.map((tr) => tr.getAttribute('data-key')))).toEqual(
      slowest,
    );
    // Slowest calls: single calls by duration, the slowest first.
    const slowCalls = page.locator('[data-http-list="slowest-calls"] tbody [data-col="Duration"]');
    expect(await slowCalls.allTextContents()).toEqual(shown.ms.slice(1 + endpoints.length));

    // Navigation: the steps between different routes, each with its count; the top bar is full.
    await page.waitForSelector('#navigation:not([hidden])');
    const funnel = await page
      .locator('#navigation li')
      .evaluateAll((all) =>
        all.map((li): [string, string] => [
          li.querySelector('.row-key')?.textContent ?? '',
          li.querySelector('.row-count')?.textContent ?? '',
        ]),
      );
    expect(new Map(funnel)).toEqual(new Map([...expected.funnel].map(([step, n]) => [step, String(n)])));
    expect(
      await page
        .locator('#navigation li .bar')
        .first()
        .evaluate((b) => (b as HTMLElement).style.width),
    ).toBe('100%');

    // Error rate: the buckets hold every event of level `error`; hovering one reads its rate.
    await page.waitForSelector('#error-rate-card:not([hidden]) svg');
    expect(stats.series.reduce((sum, p) => sum + (p.errors ?? 0), 0)).toBe(expected.levelErrors);
    const bucket = stats.series.reduce((a, b) => ((b.errors ?? 0) > (a.errors ?? 0) ? b : a));
    await page.hover(`#error-rate .hit[data-t="${bucket.t}"]`);
    await page.waitForSelector('#error-rate .tip:not([hidden])');
    const [rate] = (await formats(page, { rates: [(bucket.errors ?? 0) / bucket.events], ms: [] })).rates;
    expect(await text(page, '#error-rate .tip [data-series="errorRate"] b')).toBe(rate);

    // Filters: only the types and levels of the session, with their counts.
    const options = (select: string) =>
      page
        .locator(`${select} option`)
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).textContent));
    expect((await options('#type-filter')).slice(1).sort()).toEqual(
      [...expected.types].map(([type, n]) => `${type} (${n})`).sort(),
    );
    const levels = new Map<string, number>();
    for (const e of events) levels.set(String(e.level), (levels.get(String(e.level)) ?? 0) + 1);
    expect((await options('#level-filter')).slice(1).sort()).toEqual(
      [...levels].map(([level, n]) => `${level} (${n})`).sort(),
    );

    // A refresh leaves a focused (open) filter alone, and rebuilds it once it is left.
    const nextStats = () =>
      page.waitForResponse((r) => new URL(r.url()).pathname === '/_tracker/stats' && r.ok());
    const marked = () => page.locator('#type-filter option[data-mark]').count();
    await page.focus('#type-filter');
    await page.$eval('#type-filter option', (o) => o.setAttribute('data-mark', ''));
    // Two answers: the next poll is scheduled only once a refresh has been applied (main.ts).
    await nextStats();
    await nextStats();
    expect(await marked()).toBe(1);
    await page.focus('#level-filter');
    await nextStats();
    await page.waitForFunction(() => !document.querySelector('#type-filter option[data-mark]'));
    expect(failures).toEqual([]);

    // Screenshots: both themes at 1280 px, then a 390 px phone, which must not scroll sideways.
    for (const width of await shootThemes(page, ARTIFACTS)) expect(width).toBeLessThanOrEqual(390);
    await page.evaluate(() => localStorage.removeItem('skopos-dashboard-theme'));
    await page.close();
  }, 60_000);
});
