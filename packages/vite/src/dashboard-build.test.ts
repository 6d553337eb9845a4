import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from '@skopos/core';
import { type RunningServer, startServer } from '@skopos/server';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emitDashboard, pageConfigOf, recorder, serveStatic } from './dashboard-build.test-support.ts';
import { dashboardBuildFiles } from './dashboard-build.ts';
import { clientEndpoints } from './endpoints.ts';
import { resolveOptions, type TrackerPluginOptions } from './options.ts';
import { readEvents, sendEvent, tempProject, viteConfig } from './test-support.ts';

const API_KEY = 'public-write-key';
const POLL = 7000; // neither the page's own 5 s nor its 60 s: only the option can produce it

async function filesFor(options: TrackerPluginOptions, logger: Logger, base?: string) {
  const resolved = resolveOptions(options);
  return dashboardBuildFiles(resolved, clientEndpoints(resolved, 'build'), { base, logger });
}

const http = { writeEndpoint: 'https://api.myapp.com/tracker/events', apiKey: API_KEY };

describe('dashboardBuildFiles', () => {
  it('writes nothing unless dashboard.includeInBuild is on', async () => {
    const options = { appId: 'a', storage: http, dashboard: { enabled: true } };
    expect(await filesFor(options, recorder())).toEqual([]);
  });

  it('writes the page and its assets under the route, reading the production endpoints', async () => {
    const storage = { ...http, pingEndpoint: 'https://api.myapp.com/health' };
    const dashboard = { includeInBuild: true, route: '/stats', pollInterval: 1500 };
    const files = await filesFor({ appId: 'a', storage, dashboard }, recorder(), '/app/');
    const names = files.map((file) => file.fileName);
    expect(names).toContain('stats/index.html');
    expect(names.some((name) => /^stats\/assets\/.+\.js$/.test(name))).toBe(true);
    expect(pageConfigOf(files, 'stats')).toEqual({
      readEndpoint: 'https://api.myapp.com/tracker',
      pingEndpoint: 'https://api.myapp.com/health',
      pollInterval: 1500,
      readHeaders: { 'X-Tracker-Key': API_KEY },
    });
    expect(String(files.find((file) => file.fileName === 'stats/index.html')?.source)).toContain(
      '<base href="/app/stats/">',
    );
  });

  it('reads over HTTP in websocket mode, where skopos serve answers next to its WebSocket', async () => {
    const storage = { mode: 'websocket' as const, wsEndpoint: 'wss://api.myapp.com/_tracker/ws' };
    const files = await filesFor({ appId: 'a', storage, dashboard: { includeInBuild: true } }, recorder());
    expect(pageConfigOf(files, '_dashboard')).toEqual({
      readEndpoint: 'https://api.myapp.com/_tracker',
      pollInterval: 3000,
    });
  });

  it('leaves the dashboard out with dashboard.auth, saying why and what to do', async () => {
    const logger = recorder();
    const auth = { username: 'admin', password: 'never-in-a-file' };
    const files = await filesFor(
      { appId: 'a', storage: http, dashboard: { includeInBuild: true, auth } },
      logger,
    );
    expect(files).toEqual([]);
    expect(logger.lines.join('\n')).toMatch(/dashboard\.auth is set.*skopos serve --dashboard-password/);
  });
});

describe('a vite build with dashboard.includeInBuild, against a skopos serve backend', () => {
  const project = tempProject();
  let host: { server: Server; origin: string };
  let backend: RunningServer;
  let chromium: Chromium;

  beforeAll(async () => {
    const outDir = join(project.root, 'dist');
    host = await serveStatic(outDir);
    // The dashboard is on the site's origin, the API on another: its reads need that origin listed.
    const cors = { origins: [host.origin] };
    const quiet = { batchInterval: 50, logLevel: 'warn' as const };
    backend = await startServer({ port: 0, apiKey: API_KEY, cors, dashboard: false, ...quiet });
    const storage = {
      mode: 'http' as const,
      writeEndpoint: backend.endpoints.write,
      pingEndpoint: `${backend.url}/_tracker/ping`,
      apiKey: API_KEY,
    };
    const dashboard = { includeInBuild: true, pollInterval: POLL };
    const plugin = emitDashboard({ appId: 'demo', storage, dashboard });
    await build(viteConfig(project.root, plugin, { outDir, emptyOutDir: true }));
    const key = { 'x-tracker-key': API_KEY };
    expect((await sendEvent(backend.endpoints.write, '/checkout-done', key)).status).toBe(200);
    await readEvents(backend.endpoints.read, 1, key);
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await backend?.close();
    await new Promise((resolve) => host?.server.close(resolve));
    project.cleanup();
  });

  it('shows the posted event, reading with the public apiKey, and refreshes every pollInterval', async () => {
    const page = await chromium.context.newPage();
    const stats: URL[] = [];
    const keys = new Set<string | undefined>();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname !== '/_tracker/stats') return;
      stats.push(url);
      keys.add(request.headers()['x-tracker-key']);
    });
    // Paused fake time: the refresh timer is set at a known instant, and the stats' `until` says when it ran.
    const start = Date.now();
    await page.clock.install({ time: start });
    await page.clock.pauseAt(start + 1000);
    await page.goto(`${host.origin}/_dashboard/`);
    await page.waitForSelector('body[data-loaded="1"]');
    await page.waitForSelector('#health[data-state="online"]');
    expect(await page.locator('#events [data-col="path"]').allTextContents()).toContain('/checkout-done');
    await page.clock.runFor(POLL);
    await page.waitForSelector('body[data-loaded="2"]');
    const [first, second] = stats.map((url) => Date.parse(url.searchParams.get('until') ?? ''));
    expect(stats).toHaveLength(2);
    expect((second ?? 0) - (first ?? 0)).toBe(POLL);
    expect([...keys]).toEqual([API_KEY]);
  }, 60_000); // a cap for a loaded CI machine (Chromium start), not a timing assertion
});
