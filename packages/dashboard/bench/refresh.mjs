// What one dashboard refresh costs with 500k events in the memory store: the two requests the page
// makes (stats for the window, the newest page of 50 events), over the real HTTP handler, with
// their latency and response size. Build first (`turbo run build --filter=@skopos/dashboard...`),
// then `node packages/dashboard/bench/refresh.mjs`. Prints figures; asserts nothing.
import { createSkopos, newId, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { createHttpHandler } from '@skopos/transport-http';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500_000);
const PER_SESSION = 5;
const DAY = 86_400_000;
const NOW = Date.now();
const PATHS = Array.from({ length: 300 }, (_, i) => `/section-${i % 12}/page-${i}`);
const pick = (list, i) => list[i % list.length];

const store = memoryStore({ maxBufferSize: EVENTS, websites: [{ trackingId: 'bench', domain: '' }] });
const site = (await store.getWebsite('bench')).id;

// 30 days of sessions, 500 events per write, as the pipeline's batches arrive.
const sessions = EVENTS / PER_SESSION;
for (let first = 0; first < sessions; first += 100) {
  const batch = { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [] };
  for (let n = first; n < first + 100; n++) {
    const visitor = { id: newId(), website: site, visitorId: `${newId()}${newId()}` };
    const startedAt = NOW - 30 * DAY + Math.floor((n / sessions) * 30 * DAY);
    const session = {
      id: newId(),
      website: site,
      visitor: visitor.id,
      browser: pick(['Chrome', 'Safari', 'Firefox'], n),
      os: pick(['Windows', 'macOS', 'iOS', 'Android'], n),
      device: pick(['desktop', 'mobile'], n),
      screenWidth: 1440,
      screenHeight: 900,
      language: 'en-US',
      entryPath: pick(PATHS, n),
      exitPath: pick(PATHS, n + 1),
      referrer: pick(['', 'https://news.example/'], n),
      utmSource: '',
      utmMedium: '',
      utmCampaign: '',
      country: pick(['US', 'DE', 'FR'], n),
      state: '',
      isNewVisitor: true,
      eventCount: PER_SESSION,
      isEngaged: true,
      startedAt,
      lastActivityAt: startedAt + 60_000,
      duration: 60,
    };
    batch.visitors.push(visitor);
    batch.sessions.push(session);
    for (let e = 0; e < PER_SESSION; e++) {
      batch.events.push({
        id: newId(),
        session: session.id,
        website: site,
        type: e === 4 ? 'custom' : 'pageView',
        path: pick(PATHS, n * 7 + e),
        eventName: e === 4 ? 'signup' : '',
        timestamp: startedAt + e * 10_000,
      });
    }
  }
  store.write(batch);
}

const skopos = createSkopos({ store, logger: silentLogger });
const handler = createHttpHandler({ skopos, siteId: 'bench', logger: silentLogger });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(label, url) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    const response = await handler(new Request(url));
    bytes = (await response.arrayBuffer()).byteLength;
    times.push(performance.now() - start);
  }
  console.log(
    `dashboard ${label} p50 @${EVENTS}: ${median(times).toFixed(1)} ms, ${(bytes / 1024).toFixed(1)} KB`,
  );
}

const iso = (ms) => new Date(ms).toISOString();
for (const [name, span] of [
  ['24h', DAY],
  ['30d', 30 * DAY],
]) {
  const range = `since=${iso(NOW - span)}&until=${iso(NOW)}`;
  await measure(`stats ${name}`, `http://bench/_tracker/stats?${range}`);
  await measure(`events page ${name}`, `http://bench/_tracker?${range}&limit=50&order=desc`);
}
await skopos.shutdown();
