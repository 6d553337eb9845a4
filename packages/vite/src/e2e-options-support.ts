// What the options end-to-end tests share: vite-plugin-monitor's full option set from its README
// (every option off its default), one Vite dev server per mode with the app of e2e-options-page.ts,
// one Chromium page load running the app's scenario, and polling a mode's read path.
import type { ReadEvent } from '@skopos/core';
import type { Chromium } from '@skopos/test-utils';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { apiPlugin, writeApp } from './e2e-options-page.ts';
import type { LogLevel, StorageOptions, TrackerPluginOptions } from './options.ts';
import { trackerPlugin } from './plugin.ts';
import { startVite, tempProject } from './test-support.ts';

export const APP_ID = 'shop';
export const BUILD_VERSION = '2.4.1';
export const VIEWPORT = { width: 1024, height: 700 };
/** The user the `track.userId` resolver names, until the page's `setUser`. */
export const RESOLVED_USER = 'user-7';
/** vite-plugin-monitor's event types (reads also answer Skopos' own `pageView`s). */
const MONITOR_TYPES = new Set(['click', 'http', 'error', 'navigation', 'console', 'custom', 'session']);
// A browser on a busy 2-core machine can take a while; a hang guard, not a timing assertion.
const ARRIVAL_DEADLINE_MS = 20_000;

export interface ModeOptions {
  storage: StorageOptions;
  /** `track.level`: 'debug' lets every event through, 'warn' proves the filter. */
  level: LogLevel;
  autoInit: boolean;
}

/**
 * vite-plugin-monitor 1.x's options as its README lists them, each set to something other than its
 * default where the mode allows (`enabled` must stay on; `autoInit` is off in one mode). The ignore
 * lists name what the app's scenario does and must not arrive.
 */
export function fullOptions({ storage, level, autoInit }: ModeOptions): TrackerPluginOptions {
  return {
    appId: APP_ID,
    enabled: true,
    autoInit,
    buildVersion: BUILD_VERSION,
    track: {
      clicks: { ignoreRoutes: ['/admin', /^\/private/], ignoreSelectors: ['.no-track'] },
      http: {
        captureRequestHeaders: true,
        captureRequestBody: true,
        captureResponseHeaders: true,
        captureResponseBody: true,
        excludeHeaders: ['x-internal'],
        redactKeys: ['fiscalCode'],
        maxBodySize: 64,
        ignoreMethods: ['OPTIONS'],
        ignoreUrls: ['/health', /analytics\.example\.com/],
      },
      errors: { ignoreMessages: [/ResizeObserver/] },
      navigation: { ignoreRoutes: ['/login'], ignoreTypes: ['popstate'] },
      console: {
        // Not `table`: the scenario calls it to prove unlisted methods are left alone.
        methods: ['log', 'info', 'warn', 'error', 'debug'],
        maxArgLength: 40,
        maxArgs: 3,
        captureStackOnError: true,
        ignorePatterns: ['[app] noise', /^\[skip\]/],
      },
      level,
      // Shipped to the page as source, so it cannot name RESOLVED_USER: the literal is the same.
      userId: () => 'user-7',
    },
    storage: { batchSize: 5, flushInterval: 100, maxBufferSize: 1000, ...storage },
    logging: {
      level: 'debug',
      transports: [
        {
          format: 'json',
          path: 'logs/shop.jsonl',
          rotation: { strategy: 'size', maxSize: '1mb', maxFiles: 3, compress: true },
        },
        { format: 'pretty', path: 'logs/shop.txt' },
      ],
    },
    dashboard: {
      enabled: true,
      route: '/monitor',
      auth: { username: 'admin', password: 'secret' },
      includeInBuild: true,
      pollInterval: 5000,
    },
    overlay: { enabled: true, position: 'top-left' },
  };
}

export interface ModeServer {
  server: ViteDevServer;
  url: string;
  root: string;
  /** Closes the dev server and removes the project. */
  close(): Promise<void>;
}

/** A Vite dev server on a temp project holding the app, with these tracker options. */
export async function startMode(options: ModeOptions): Promise<ModeServer> {
  const project = tempProject();
  writeApp(project.root, !options.autoInit);
  const vite = await startVite(project.root, [trackerPlugin(fullOptions(options)), apiPlugin]);
  return {
    ...vite,
    root: project.root,
    async close() {
      await vite.server.close();
      project.cleanup();
    },
  };
}

/** What one page load gave: the scenario's group id and `timeEnd` result, and the page itself. */
export interface ScenarioResult {
  groupId: string;
  ms: number;
  /** Where #buy was: the click's coordinates are inside. */
  box: { x: number; y: number; width: number; height: number };
  /** Debug overlays on the page (`overlay.enabled`: one, mounted by `init()`). */
  overlays: number;
  page: Page;
}

/** One page load: two clicks (one on an ignored element), then the app's scenario. */
export async function runScenario(chromium: Chromium, url: string): Promise<ScenarioResult> {
  const page = await chromium.context.newPage();
  await page.goto(`${url}/shop?tab=new#top`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => 'scenario' in window && '__tracker_instance__' in window, undefined, {
    timeout: 15_000,
  });
  const box = await page.locator('#buy').boundingBox();
  if (!box) throw new Error('#buy is not on the page');
  await page.click('#buy');
  await page.click('#hidden');
  const result = await page.evaluate(() =>
    (window as unknown as { scenario(): Promise<{ groupId: string; ms: number }> }).scenario(),
  );
  const overlays = await page.locator('[data-tracker-overlay]').count();
  // The page stays open until its events arrived: closing it could drop the last batch.
  return { ...result, box, overlays, page };
}

/**
 * Polls `read` until `count` of vite-plugin-monitor's events are there (the sender posts batches
 * concurrently, so arrival order says nothing); answers them oldest first.
 */
export async function waitForEvents(read: () => Promise<ReadEvent[]>, count: number): Promise<ReadEvent[]> {
  const deadline = Date.now() + ARRIVAL_DEADLINE_MS;
  for (;;) {
    const events = (await read()).filter((event) => MONITOR_TYPES.has(event.type));
    if (events.length >= count || Date.now() > deadline)
      return events.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An HTTP read endpoint (Skopos' `GET /_tracker`), every event of the last hour. */
export function readEndpoint(endpoint: string, headers: Record<string, string> = {}) {
  return async (): Promise<ReadEvent[]> => {
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const response = await fetch(`${endpoint}?since=${since}&order=asc&limit=1000`, {
      headers: { accept: 'application/json', ...headers },
    });
    if (!response.ok) throw new Error(`GET ${endpoint}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { events: ReadEvent[] }).events;
  };
}
