// The debug overlay end to end in headless Chromium: its script and the monitor's on a page as the
// Vite plugin serves them in dev, a user id typed into the overlay, and a real Skopos server that must
// have received the session change and the overlay's `user:id-changed` event.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, not a dependency: @skopos/server depends on this package to serve its script.
import { type RunningServer, startServer } from '../../../../server/src/index.ts';
import { bundleIife, IIFE_ENTRIES } from '../../../scripts/iife.ts';
import { until } from '../../e2e-wait.ts';
import { monitorConfig } from '../test-config.ts';
import type { MonitorEvent } from '../types.ts';

const API_KEY = 'e2e-key';

let skopos: RunningServer;
let pages: Server;
let origin: string;
let chromium: Chromium;

/**
 * The page in dev with `overlay.enabled`: the overlay's script before the bootstrap's `init`, which
 * mounts it, all in <head> (no body yet). The page's stylesheet is hostile on purpose.
 */
function appPage(writeEndpoint: string): string {
  const config = monitorConfig({
    mode: 'http',
    writeEndpoint,
    apiKey: API_KEY,
    batchSize: 25,
    flushInterval: 200,
    overlay: { enabled: true, position: 'top-left' },
    dashboard: { enabled: true, route: '/_dashboard', pollInterval: 3000 },
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>div, section, input, button, ol { display: none !important } * { font-size: 64px !important }</style>
<script>Object.defineProperty(window, '__TRACKER_CONFIG__', { value: Object.freeze(${JSON.stringify(config)}) });</script>
<script src="/overlay.js"></script>
<script src="/monitor.js"></script>
<script>__skopos_monitor__.setup(); __skopos_monitor__.init();</script>
</head><body><h1>Shop</h1></body></html>`;
}

async function monitorEvents(): Promise<MonitorEvent[]> {
  const response = await fetch(`${skopos.endpoints.read}?site=shop&order=asc&limit=1000`, {
    headers: { 'x-tracker-key': API_KEY },
  });
  const { events } = (await response.json()) as { events: MonitorEvent[] };
  return events.filter((event) => event.type === 'session' || event.type === 'custom');
}

beforeAll(async () => {
  skopos = await startServer({
    port: 0,
    sites: [{ trackingId: 'shop' }],
    batchInterval: 50,
    logLevel: 'warn',
  });
  const [overlay, monitor] = await Promise.all([
    bundleIife(IIFE_ENTRIES['monitor-overlay.global.js']),
    bundleIife(IIFE_ENTRIES['skopos-monitor.global.js']),
  ]);
  const scripts: Record<string, string> = { '/overlay.js': overlay, '/monitor.js': monitor };
  pages = createServer((request, response) => {
    const script = scripts[request.url ?? ''];
    if (script) response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else response.writeHead(200, { 'content-type': 'text/html' }).end(appPage(skopos.endpoints.write));
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
  chromium = await launchChromium({ viewport: { width: 1024, height: 700 } });
});

afterAll(async () => {
  await chromium?.close();
  await skopos?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

describe('the debug overlay in Chromium', () => {
  it('changes the user id from its input: the server gets the session change and user:id-changed', async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${origin}/shop`);
    // Playwright's CSS selectors pierce the open shadow root.
    const input = page.locator('[data-tracker-overlay] input');
    await page.keyboard.press('Alt+KeyT');
    await expect.poll(() => input.isVisible(), { timeout: 10_000 }).toBe(true);
    const anon = await input.inputValue();
    expect(anon).toMatch(/^anon_/);
    const box = await page.locator('[data-tracker-overlay] .root').boundingBox();
    expect([box?.x, box?.y]).toEqual([16, 16]);
    const dashboard = page.locator('[data-tracker-overlay] .dashboard');
    expect(await dashboard.getAttribute('href')).toBe('/_dashboard');

    await input.fill('user-42');
    await input.press('Enter');
    const newest = page.locator('[data-tracker-overlay] .events li').first();
    await expect.poll(() => newest.textContent(), { timeout: 10_000 }).toMatch(/custom.*user:id-changed/);
    await page.evaluate(() => window.__tracker_instance__?.destroy());
    expect(await page.locator('[data-tracker-overlay]').count()).toBe(0);

    let events: MonitorEvent[] = [];
    await until(async () => {
      events = await monitorEvents();
      return events.some((event) => event.payload.trigger === 'destroy');
    });
    expect(events.map(({ type, userId, payload }) => [type, userId, payload])).toEqual([
      ['session', anon, { action: 'start', trigger: 'init' }],
      ['session', anon, { action: 'end', trigger: 'userId-change', previousUserId: anon }],
      ['session', 'user-42', { action: 'start', trigger: 'userId-change', newUserId: 'user-42' }],
      [
        'custom',
        'user-42',
        { name: 'user:id-changed', data: { previousUserId: anon, newUserId: 'user-42', source: 'overlay' } },
      ],
      ['session', 'user-42', { action: 'end', trigger: 'destroy' }],
    ]);
    await page.close();
  });
});
