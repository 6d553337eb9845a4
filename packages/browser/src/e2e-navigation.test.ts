// End to end in real headless Chromium: leaving a page by a full navigation (a link, or a new
// address) must deliver what that page queued. Chromium drops beacons sent from `pagehide` during a
// navigation, so this guards the `beforeunload` flush.
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// A relative import, not a dependency: @skopos/server depends on this package to serve its script.
import { type RunningServer, startServer } from '../../server/src/index.ts';
import { type PageServer, servePages } from './e2e-page.ts';
import { until } from './e2e-wait.ts';

let skopos: RunningServer;
let pages: PageServer;
let origin: string;
let chromium: Chromium;

function page(title: string, next: string, writeEndpoint: string): string {
  // Default batching (25 events, 3 s): nothing leaves before the page does.
  return `<!doctype html><html><head><title>${title}</title>
<script src="/skopos.js" data-site="nav" data-write-endpoint="${writeEndpoint}" data-allow-localhost></script>
</head><body><a id="next" href="${next}">next</a><button id="cta" data-skopos-event="cta">cta</button></body></html>`;
}

beforeAll(async () => {
  skopos = await startServer({
    port: 0,
    sites: [{ trackingId: 'nav' }],
    batchInterval: 50,
    logLevel: 'warn',
  });
  pages = await servePages((url) => page(url, '/two', skopos.endpoints.write));
  origin = pages.origin;
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await skopos?.close();
  await pages?.close();
});

async function stored(count: number): Promise<string[][]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const response = await fetch(`${skopos.endpoints.read}?site=nav&order=asc&limit=100`);
    const { events } = (await response.json()) as {
      events: Array<{ type: string; path: string; eventName: string }>;
    };
    if (events.length >= count || Date.now() > deadline)
      return events.map((e) => [e.type, e.path, e.eventName]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('leaving a page in Chromium', () => {
  it('delivers the queued events of a page left by a link and by a new address', async () => {
    const tab = await chromium.context.newPage();
    await tab.goto(`${origin}/one`);
    await tab.click('#cta');
    await tab.click('#next');
    await tab.waitForURL('**/two');
    await tab.goto(`${origin}/three`);
    await tab.close();
    expect(await stored(4)).toEqual([
      ['pageView', '/one', ''],
      ['custom', '/one', 'cta'],
      ['pageView', '/two', ''],
      ['pageView', '/three', ''],
    ]);
    // Each page left also sent its engagement signal, which updates the session and is not stored.
    await until(() => skopos.skopos.counters().signals >= 3);
    expect(skopos.skopos.counters().signals).toBe(3);
  });
});
