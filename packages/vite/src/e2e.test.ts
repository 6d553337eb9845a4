// The acceptance test: headless Chromium goes through examples/vite on a real Vite dev server
// (middleware mode), then opens the plugin's dashboard, whose numbers must match what was sent. The
// dashboard is screenshotted to artifacts/vite-dashboard.png (repo root, gitignored) for review.
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
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
  // main.js imports `@skopos/vite/client` as an app would: from the example's installed packages.
  symlinkSync(join(EXAMPLE, 'node_modules'), join(project.root, 'node_modules'), 'dir');
  vite = await startVite(
    project.root,
    // examples/vite/vite.config.js's options, with a shorter flush for the test.
    trackerPlugin({
      appId: 'example-vite',
      track: { clicks: true, http: true, errors: true, navigation: true },
      storage: { mode: 'middleware', flushInterval: 200 },
      dashboard: { enabled: true },
      logging: { transports: [] },
    }),
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
      await app.waitForFunction(() => '__tracker_instance__' in window);
      expect(
        await app.evaluate(() =>
          Object.isFrozen((window as { __TRACKER_CONFIG__?: object }).__TRACKER_CONFIG__),
        ),
      ).toBe(true);
      // The example's SPA links (history.pushState), its custom-event and sign-in buttons.
      await app.click('a[data-route="/pricing"]');
      await app.waitForFunction(() => location.pathname === '/pricing');
      await app.click('a[data-route="/docs"]');
      await app.waitForFunction(() => location.pathname === '/docs');
      await app.click('#custom');
      await app.click('#signin');
      expect(await app.textContent('#where')).toBe('You are on /docs');

      // vite-plugin-monitor's events: the session start, three navigations (the page views), four
      // clicks, the custom event, and the sign-in's session end + start. The engagement signals
      // (visible time per page) update the session and are never stored as events.
      const read = await readEvents(`${vite.url}/_tracker`, 12);
      const sent = [...read.events].reverse();
      const of = (type: string) => sent.filter((event) => event.type === type);
      expect(of('navigation').map((event) => event.payload as { to: string; trigger: string })).toEqual([
        expect.objectContaining({ to: '/?utm_source=e2e', trigger: 'load' }),
        expect.objectContaining({ from: '/?utm_source=e2e', to: '/pricing', trigger: 'pushState' }),
        expect.objectContaining({ from: '/pricing', to: '/docs', trigger: 'pushState' }),
      ]);
      expect(of('click').map((event) => (event.payload as { text: string }).text)).toEqual([
        'Pricing',
        'Docs',
        'Send a custom event',
        'Sign in as user-42',
      ]);
      expect(of('custom').map((event) => [(event.payload as { name: string }).name, event.path])).toEqual([
        ['custom-button', '/docs'],
      ]);
      expect(of('session').map((event) => [event.payload, event.userId])).toEqual([
        [{ action: 'start', trigger: 'init' }, expect.stringMatching(/^anon_/)],
        [
          { action: 'end', trigger: 'userId-change', previousUserId: expect.stringMatching(/^anon_/) },
          expect.stringMatching(/^anon_/),
        ],
        [{ action: 'start', trigger: 'userId-change', newUserId: 'user-42' }, 'user-42'],
      ]);
      expect(new Set(sent.map((event) => event.sessionId)).size, 'one tab, one sessionId').toBe(1);
      await app.close();

      const dashboard = await chromium.context.newPage();
      await dashboard.goto(`${vite.url}/_dashboard`, { waitUntil: 'domcontentloaded' });
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
