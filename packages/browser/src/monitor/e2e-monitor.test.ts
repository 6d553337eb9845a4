// The monitor client end to end in headless Chromium: the built script on a page as the Vite plugin
// serves it, sending to a real Skopos server, whose read endpoint must answer the API calls' effects.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, not a dependency: @skopos/server depends on this package to serve its script.
import { type RunningServer, startServer } from '../../../server/src/index.ts';
import { bundleIife, IIFE_ENTRIES } from '../../scripts/iife.ts';
import { until } from '../e2e-wait.ts';
import { monitorConfig } from './test-config.ts';
import type { MonitorEvent } from './types.ts';

const API_KEY = 'e2e-key';

let skopos: RunningServer;
let pages: Server;
/** A backend written for vite-plugin-monitor (as `express.json()` and a key check would): what it took. */
let peerBackend: Server;
let peerUrl: string;
const peerBodies: {
  contentType: string;
  key: string | undefined;
  body: { type?: string; events?: MonitorEvent[] };
}[] = [];
let origin: string;
let chromium: Chromium;

/** The page as the plugin serves it: frozen config, the client script, then the generated bootstrap. */
function appPage(writeEndpoint: string): string {
  const changes = { mode: 'http', writeEndpoint, apiKey: API_KEY, batchSize: 25, flushInterval: 200 };
  const config = monitorConfig({ ...changes, buildVersion: '2.0.0' });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script>Object.defineProperty(window, '__TRACKER_CONFIG__', { value: Object.freeze(${JSON.stringify(config)}) });</script>
<script src="/monitor.js"></script>
<script>__skopos_monitor__.setup(); __skopos_monitor__.init();</script>
</head><body><h1>Shop</h1></body></html>`;
}

async function monitorEvents(): Promise<MonitorEvent[]> {
  const response = await fetch(`${skopos.endpoints.read}?site=shop&order=asc&limit=1000`, {
    headers: { 'x-tracker-key': API_KEY },
  });
  // Skopos' own page views are in the answer too (as `pageView`, with Skopos' session id).
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
  const script = await bundleIife(IIFE_ENTRIES['skopos-monitor.global.js']);
  peerBackend = createServer((request, response) => {
    const cors = {
      'access-control-allow-origin': request.headers.origin ?? '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-headers': 'content-type, x-tracker-key',
      'access-control-allow-methods': 'POST',
    };
    if (request.method === 'OPTIONS') return void response.writeHead(204, cors).end();
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const contentType = request.headers['content-type'] ?? '';
      // Like express.json(): only a JSON body is parsed.
      const body = contentType.startsWith('application/json') ? JSON.parse(text) : {};
      const key = request.headers['x-tracker-key'];
      peerBodies.push({ contentType, key: typeof key === 'string' ? key : undefined, body });
      response.writeHead(200, cors).end('{"saved":true}');
    });
  });
  await new Promise<void>((resolve) => peerBackend.listen(0, '127.0.0.1', resolve));
  peerUrl = `http://127.0.0.1:${(peerBackend.address() as AddressInfo).port}/api/tracker/events`;
  pages = createServer((request, response) => {
    if (request.url === '/monitor.js')
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (request.url === '/peer')
      response.writeHead(200, { 'content-type': 'text/html' }).end(appPage(peerUrl));
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
  await new Promise((resolve) => peerBackend?.close(resolve));
});

/** Runs the app's monitoring calls through the page's client, as app code would. */
const useApi = (page: Page) =>
  page.evaluate(async () => {
    const client = window.__tracker_instance__;
    if (!client) throw new Error('no __tracker_instance__');
    client.setContext({ tenant: 'acme' });
    const groupId = client.group('checkout');
    client.track('step:address', { n: 1 }, { groupId, level: 'warn' });
    client.setUser('user-42', { attributes: { plan: 'pro' } });
    client.time('load-products');
    await new Promise((resolve) => setTimeout(resolve, 120));
    return { groupId, ms: client.timeEnd('load-products', { count: 5 }) };
  });

describe('the monitor script tag in Chromium', () => {
  it("in http mode, speaks vite-plugin-monitor's wire to a backend written for it (JSON, X-Tracker-Key)", async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${origin}/peer`);
    await page.evaluate(() => window.__tracker_instance__?.track('peer:checkout', { total: 3 }));
    // Skopos' own page views and engagement signals travel in the same batches (no `payload`).
    const custom = () =>
      peerBodies
        .flatMap(({ body }) => body.events ?? [])
        .find((event) => event.payload?.name === 'peer:checkout');
    await until(() => custom() !== undefined);
    expect(custom()).toMatchObject({ type: 'custom', appId: 'shop', payload: { data: { total: 3 } } });
    const fetched = peerBodies.filter(({ key }) => key !== undefined);
    expect(fetched.length).toBeGreaterThan(0);
    for (const { contentType, key, body } of fetched) {
      expect(contentType).toMatch(/^application\/json/);
      expect(key).toBe(API_KEY);
      expect(body.type).toBe('ingest');
    }
    await page.close();
  });

  it("delivers vite-plugin-monitor's events with the API's effects, one session across a reload", async () => {
    const page = await chromium.context.newPage();
    await page.goto(`${origin}/shop?tab=new#top`);
    const { groupId, ms } = await useApi(page);
    await page.reload();
    await page.evaluate(() => window.__tracker_instance__?.destroy());

    let events: MonitorEvent[] = [];
    await until(async () => {
      events = await monitorEvents();
      return events.length >= 8;
    });
    const byPayload = (match: Record<string, unknown>) =>
      events.filter((event) => Object.entries(match).every(([key, value]) => event.payload[key] === value));
    expect(events).toHaveLength(8);
    const sessionIds = new Set(events.map((event) => event.sessionId));
    expect(sessionIds.size).toBe(1);
    expect([...sessionIds][0]).toMatch(/^sess_/);

    const [firstStart, secondStart] = byPayload({ action: 'start', trigger: 'init' });
    expect(firstStart).toMatchObject({
      type: 'session',
      level: 'info',
      appId: 'shop',
      userId: expect.stringMatching(/^anon_/),
    });
    expect(firstStart?.meta).toMatchObject({
      route: '/shop?tab=new',
      viewport: '1024x700',
      language: 'en-US',
      buildVersion: '2.0.0',
      userAgent: expect.stringContaining('Chrome/'),
    });
    const anon = firstStart?.userId;

    expect(byPayload({ name: 'step:address' })[0]).toMatchObject({
      type: 'custom',
      level: 'warn',
      groupId,
      context: { tenant: 'acme' },
      userId: anon,
      payload: { name: 'step:address', data: { n: 1 } },
    });
    expect(groupId).toMatch(/^grp_checkout_/);
    expect(byPayload({ action: 'end', trigger: 'userId-change' })[0]).toMatchObject({
      userId: anon,
      payload: { previousUserId: anon },
    });
    expect(byPayload({ action: 'start', trigger: 'userId-change' })[0]).toMatchObject({
      userId: 'user-42',
      payload: { newUserId: 'user-42' },
      meta: { userAttributes: { plan: 'pro' } },
    });
    const timed = byPayload({ name: 'load-products' })[0];
    expect(timed?.payload).toEqual({ name: 'load-products', data: { count: 5 }, duration: ms });
    expect(ms).toBeGreaterThanOrEqual(100);
    expect(timed).toMatchObject({ userId: 'user-42', context: { tenant: 'acme' } });

    // The reload: the old page ends its session on unload, the new one starts it again, same ids.
    expect(byPayload({ action: 'end', trigger: 'unload' })).toHaveLength(1);
    expect(secondStart).toMatchObject({ userId: 'user-42', sessionId: firstStart?.sessionId });
    expect(byPayload({ action: 'end', trigger: 'destroy' })[0]).toMatchObject({ userId: 'user-42' });

    // Skopos' analytics of the same visit: two page views (load, reload) in one session, engaged.
    await until(() => skopos.skopos.counters().signals >= 2);
    await skopos.skopos.flush();
    const stats = await skopos.skopos.stats({ since: 0, until: Date.now() + 1000 });
    expect([stats.sessions, stats.pageviews, stats.bounceRate]).toEqual([1, 2, 0]);
  });
});
