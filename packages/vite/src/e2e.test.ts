import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { readEvents, startVite, tempProject } from './test-support.ts';

const CHROMIUM = '/usr/bin/chromium';
// A browser on a busy shared 2-core machine can take a while; this is a hang guard, not a timing assertion.
const E2E_TIMEOUT_MS = 60_000;

describe('a Vite dev page and the dashboard in Chromium (middleware mode)', () => {
  const project = tempProject();
  let vite: { server: ViteDevServer; url: string };
  let context: BrowserContext;
  let profile: string | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `[skopos/vite] ${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
      );
    }
    vite = await startVite(
      project.root,
      trackerPlugin({ appId: 'demo', storage: { mode: 'middleware', flushInterval: 200 } }),
    );
    profile = mkdtempSync(join(tmpdir(), 'skopos-vite-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
      // The pipeline drops bots, and "HeadlessChrome" in the user agent is one.
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    });
  });
  afterAll(async () => {
    await context?.close();
    await vite?.server.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    project.cleanup();
  });

  it(
    'the injected tracker sends the page view and a custom event to the dev server store',
    async () => {
      const page = await context.newPage();
      await page.goto(`${vite.url}/?utm_source=e2e`, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => typeof (window as { skopos?: unknown }).skopos === 'object');
      expect(
        await page.evaluate(() =>
          Object.isFrozen((window as { __TRACKER_CONFIG__?: object }).__TRACKER_CONFIG__),
        ),
      ).toBe(true);
      await page.evaluate(() =>
        (window as unknown as { skopos: { track(name: string): void } }).skopos.track('signup'),
      );
      const read = await readEvents(`${vite.url}/_tracker`, 2);
      expect(read.events.map((event) => [event.type, event.path]).sort()).toEqual([
        ['custom', '/'],
        ['pageView', '/'],
      ]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'the dev server serves @skopos/dashboard, which shows that page view and a live health dot',
    async () => {
      const page = await context.newPage();
      await page.goto(`${vite.url}/_tracker/dashboard`, { waitUntil: 'domcontentloaded' });
      await page.waitForSelector('body[data-loaded]');
      await page.waitForFunction(
        () => document.querySelector('[data-kpi="pageviews"] .kpi-value')?.textContent === '1',
      );
      await page.waitForSelector('#health[data-state="online"]');
    },
    E2E_TIMEOUT_MS,
  );
});
