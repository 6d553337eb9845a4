// The acceptance test: headless Chromium goes through examples/vite on a real Vite dev server
// (middleware mode), then opens the plugin's dashboard, whose numbers must match what was sent. The
// dashboard is screenshotted to artifacts/vite-dashboard.png (repo root, gitignored) for review.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { readEvents, startVite, tempProject } from './test-support.ts';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const EXAMPLE = join(REPO, 'examples', 'vite');
const SCREENSHOT = join(REPO, 'artifacts', 'vite-dashboard.png');
// A browser on a busy shared machine can take a while; a hang guard, not a timing assertion.
const E2E_TIMEOUT_MS = 60_000;

const project = tempProject();
let vite: { server: ViteDevServer; url: string };
let chromium: Chromium;

/** The counts of one dashboard list, keyed by row (`data-key`). */
function listCounts(page: Page, list: string): Promise<Record<string, string>> {
  return page.$$eval(`[data-list="${list}"] li[data-key]`, (rows) =>
    Object.fromEntries(
      rows.map((row) => [row.getAttribute('data-key'), row.querySelector('.row-count')?.textContent]),
    ),
  );
}

beforeAll(async () => {
  // A temp copy of the example app (its own vite.config.js would load the built plugin, not src/).
  for (const file of ['index.html', 'main.js']) cpSync(join(EXAMPLE, file), join(project.root, file));
  vite = await startVite(
    project.root,
    trackerPlugin({ appId: 'example-vite', storage: { mode: 'middleware', flushInterval: 200 } }),
  );
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await vite?.server.close();
  project.cleanup();
});

describe('examples/vite and the dashboard in Chromium (middleware mode)', () => {
  it(
    'a visit through the example app shows up on the dashboard with matching numbers',
    async () => {
      const app = await chromium.context.newPage();
      await app.goto(`${vite.url}/?utm_source=e2e`, { waitUntil: 'domcontentloaded' });
      await app.waitForFunction(() => typeof (window as { skopos?: unknown }).skopos === 'object');
      expect(
        await app.evaluate(() =>
          Object.isFrozen((window as { __TRACKER_CONFIG__?: object }).__TRACKER_CONFIG__),
        ),
      ).toBe(true);
      // The example's SPA links (history.pushState) and its custom-event button.
      await app.click('a[data-route="/pricing"]');
      await app.waitForFunction(() => location.pathname === '/pricing');
      await app.click('a[data-route="/docs"]');
      await app.waitForFunction(() => location.pathname === '/docs');
      await app.click('#custom');
      expect(await app.textContent('#where')).toBe('You are on /docs');

      // Three page views and the custom event reach the store; the tracker's engagement signals
      // (visible time per page) update the session and are never stored as events.
      const read = await readEvents(`${vite.url}/_tracker`, 4);
      const sent = read.events;
      expect(sent.map((event) => [event.type, event.path, event.eventName]).sort()).toEqual([
        ['custom', '/docs', 'custom-button'],
        ['pageView', '/', ''],
        ['pageView', '/docs', ''],
        ['pageView', '/pricing', ''],
      ]);
      await app.close();

      const dashboard = await chromium.context.newPage();
      await dashboard.goto(`${vite.url}/_tracker/dashboard`, { waitUntil: 'domcontentloaded' });
      await dashboard.waitForSelector('body[data-loaded]');
      await dashboard.waitForFunction(
        () => document.querySelector('[data-kpi="pageviews"] .kpi-value')?.textContent === '3',
      );
      await dashboard.waitForSelector('#health[data-state="online"]');
      const kpi = (key: string) => dashboard.textContent(`[data-kpi="${key}"] .kpi-value`);
      expect({
        visitors: await kpi('visitors'),
        sessions: await kpi('sessions'),
        pageviews: await kpi('pageviews'),
      }).toEqual({ visitors: '1', sessions: '1', pageviews: '3' });
      expect(await listCounts(dashboard, 'topPages')).toEqual({ '/': '1', '/pricing': '1', '/docs': '1' });
      expect(await listCounts(dashboard, 'utmSources')).toEqual({ e2e: '1' });
      // Only the user's custom event: the engagement signals are not events.
      expect(await listCounts(dashboard, 'eventNames')).toEqual({ 'custom-button': '1' });

      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await dashboard.setViewportSize({ width: 1280, height: 900 });
      await dashboard.screenshot({ path: SCREENSHOT, fullPage: true });
      await dashboard.close();
    },
    E2E_TIMEOUT_MS,
  );
});
