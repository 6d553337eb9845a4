// The second half of bench/scale-out.mjs: ClickHouse `stats()` latency over one day of one site
// (BENCH_STATS_EVENTS, default 1M events, ~100k sessions) against the memory store's on the same
// rows, median of BENCH_STATS_RUNS (5) each, and the ratio; both stores' answers compared.
import { newId } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { clickHouseStore } from '../../packages/clickhouse-store/dist/index.mjs';
import { fmt, median, seededRandom } from '../figures.mjs';
import { chParts, chQuery } from './probes.mjs';

const STATS_EVENTS = Number(process.env.BENCH_STATS_EVENTS ?? 1_000_000);
const STATS_BATCH = Number(process.env.BENCH_STATS_BATCH ?? 50_000);
const STATS_RUNS = Number(process.env.BENCH_STATS_RUNS ?? 5);
export const STATS_ENABLED = STATS_EVENTS > 0;
const SITE = 'shop';
const HOST = 'shop.example';

const rng = seededRandom(11);
const { random, pick, skewed } = rng;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20);
const PATHS = Array.from({ length: 2000 }, (_, i) => `/section-${i % 25}/page-${i}`);
const REFERRERS = [
  '',
  '',
  '',
  ...Array.from({ length: 50 }, (_, i) => `https://www.site${i}.example/from/${i % 7}`),
];
const ENDPOINTS = Array.from({ length: 40 }, (_, i) => `/api/v1/resource-${i}`);
const ERRORS = Array.from({ length: 20 }, (_, i) => `TypeError: cannot read property 'x${i}' of undefined`);

/**
 * Batches of one day of one site, `total` events in `batchEvents`-event batches: sessions of 1 event
 * (35 %, bounces) or 2–27 (~10 on average), in time order; 75 % new visitors; events page views
 * (70 %), custom events (12 %), vite-plugin-monitor http calls (10 %) and navigations (5 %), JS errors
 * (3 %, with their js_errors deltas); session rows as their final state, written with their events.
 */
function* statsBatches(website, total, batchEvents) {
  rng.reset();
  const visitors = [];
  let written = 0;
  while (written < total) {
    const batch = { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [] };
    const errors = new Map();
    while (batch.events.length < batchEvents && written < total) {
      const returning = visitors.length > 0 && random() < 0.25;
      const visitor = returning
        ? pick(visitors)
        : { id: newId(), website, visitorId: newId() + newId() + newId() };
      if (!returning) {
        batch.visitors.push(visitor);
        visitors.push(visitor);
        if (visitors.length > 20_000) visitors.shift();
      }
      const count = Math.min(total - written, random() < 0.35 ? 1 : 2 + Math.floor(random() * 26));
      const startedAt = T0 + Math.floor((written / total) * (DAY - 3_600_000));
      const row = {
        id: newId(),
        website,
        visitor: visitor.id,
        browser: pick(['Chrome', 'Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet']),
        os: pick(['Windows', 'macOS', 'iOS', 'Android', 'Linux']),
        device: pick(['desktop', 'desktop', 'mobile', 'tablet']),
        screenWidth: 1920,
        screenHeight: 1080,
        language: pick(['en-US', 'de-DE', 'fr-FR', 'es-ES']),
        entryPath: '/',
        exitPath: '/',
        referrer: pick(REFERRERS),
        utmSource: pick(['', '', '', 'newsletter', 'twitter', 'ads']),
        utmMedium: pick(['', '', 'email', 'social', 'cpc']),
        utmCampaign: pick(['', '', '', 'spring', 'launch']),
        country: pick(['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'NL', '']),
        state: '',
        isNewVisitor: !returning,
        eventCount: 0,
        pageViews: 0,
        isEngaged: false,
        startedAt,
        lastActivityAt: startedAt,
        duration: 0,
      };
      const tab = `sess_${newId()}`;
      let t = startedAt;
      let path = skewed(PATHS);
      for (let e = 0; e < count; e++) {
        const r = e === 0 ? 0 : random();
        const event = {
          id: newId(),
          session: row.id,
          website,
          type: 'pageView',
          path,
          eventName: '',
          timestamp: t,
          receivedAt: t + 40,
          appId: SITE,
          level: 'info',
        };
        if (r < 0.7) {
          path = e === 0 ? path : skewed(PATHS);
          event.path = path;
        } else if (r < 0.82) {
          event.type = 'custom';
          event.eventName = pick(['signup', 'add_to_cart', 'search', 'share', 'play']);
          event.eventData = { plan: pick(['free', 'pro']) };
        } else if (r < 0.92) {
          const status = random() < 0.85 ? 200 : random() < 0.7 ? 404 : 503;
          Object.assign(event, {
            type: 'http',
            level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
            clientSessionId: tab,
            payload: {
              method: 'GET',
              url: skewed(ENDPOINTS),
              status,
              duration: Math.round(random() ** 2 * 900),
            },
            meta: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', route: path, viewport: '1280x720' },
          });
        } else if (r < 0.97) {
          const from = path;
          path = skewed(PATHS);
          Object.assign(event, {
            type: 'navigation',
            path,
            clientSessionId: tab,
            payload: { from, to: path, trigger: 'pushState', duration: Math.round(random() * 3000) },
            meta: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', route: path, viewport: '1280x720' },
          });
        } else {
          const k = Math.floor(random() ** 2 * ERRORS.length);
          const hash = `err${k.toString().padStart(4, '0')}`;
          event.type = 'jsError';
          event.level = 'error';
          event.eventName = ERRORS[k];
          const delta = errors.get(hash);
          if (delta === undefined) {
            errors.set(hash, {
              website,
              session: row.id,
              errorHash: hash,
              errorMessage: ERRORS[k],
              stackTrace: `at f${k} (https://${HOST}/app.js:1:${k * 17})`,
              url: `https://${HOST}${path}`,
              count: 1,
              firstSeen: t,
              lastSeen: t,
              pages: [path],
            });
          } else {
            delta.count++;
            delta.lastSeen = Math.max(delta.lastSeen, t);
            delta.firstSeen = Math.min(delta.firstSeen, t);
            if (!delta.pages.includes(path) && delta.pages.length < 20) delta.pages.push(path);
          }
        }
        batch.events.push(event);
        row.eventCount++;
        if (event.type === 'pageView' || event.type === 'navigation') row.pageViews++;
        if (row.pageViews === 1 && (event.type === 'pageView' || event.type === 'navigation'))
          row.entryPath = path;
        row.exitPath = path;
        row.lastActivityAt = t;
        t += 3_000 + Math.floor(random() * 40_000);
      }
      row.duration = Math.round((row.lastActivityAt - row.startedAt) / 1000);
      row.isEngaged = row.pageViews > 1 || row.duration >= 10;
      batch.sessions.push(row);
      written += count;
    }
    batch.jsErrors = [...errors.values()];
    yield batch;
  }
}

async function timeStats(store, query) {
  const times = [];
  let answer;
  for (let i = 0; i < STATS_RUNS; i++) {
    const start = performance.now();
    answer = await store.stats(query);
    times.push(performance.now() - start);
  }
  return { ms: median(times), min: Math.min(...times), max: Math.max(...times), answer };
}

export async function statsLatency(ch) {
  const database = 'bench_stats';
  const chStore = clickHouseStore({ url: ch.url, database, websites: [{ trackingId: SITE, domain: HOST }] });
  await chStore.ensureSchema();
  const website = (await chStore.getWebsite(SITE)).id;
  const memStore = memoryStore({
    websites: [{ trackingId: SITE, domain: HOST }],
    maxBufferSize: Math.max(STATS_EVENTS, 1_000_000),
  });
  const memWebsite = memStore.getWebsite(SITE).id;
  let chMs = 0;
  let memMs = 0;
  let events = 0;
  let sessions = 0;
  for (const batch of statsBatches(website, STATS_EVENTS, STATS_BATCH)) {
    events += batch.events.length;
    sessions += batch.sessions.length;
    let start = performance.now();
    await chStore.write(batch);
    chMs += performance.now() - start;
    // The memory store keys its rows by the website record id it made for the site.
    const memBatch = {
      visitors: batch.visitors.map((row) => ({ ...row, website: memWebsite })),
      sessions: batch.sessions.map((row) => ({ ...row, website: memWebsite })),
      events: batch.events.map((row) => ({ ...row, website: memWebsite })),
      jsErrors: batch.jsErrors.map((row) => ({ ...row, website: memWebsite })),
      discardedSessions: [],
    };
    start = performance.now();
    await memStore.write(memBatch);
    memMs += performance.now() - start;
  }
  console.log(
    `stats fill: ${fmt(events)} events, ${fmt(sessions)} sessions in batches of ${fmt(STATS_BATCH)}` +
      (STATS_EVENTS === 1_000_000 ? '' : ` (BENCH_STATS_EVENTS=${STATS_EVENTS}, not the 1M of the issue)`) +
      `; written in ${(chMs / 1000).toFixed(1)} s to ClickHouse (${fmt(events / (chMs / 1000))} events/s), ` +
      `${(memMs / 1000).toFixed(1)} s to the memory store`,
  );
  const range = { since: T0, until: T0 + DAY };
  const mem = await timeStats(memStore, { ...range, website: memWebsite });
  const chFresh = await timeStats(chStore, { ...range, website });
  const show = ({ ms, min, max }) => `${ms.toFixed(1)} ms (min ${min.toFixed(1)}, max ${max.toFixed(1)})`;
  console.log(
    `stats latency at ${fmt(events)} events, whole day of one site, median of ${STATS_RUNS}: ` +
      `ClickHouse ${show(chFresh)}, memory store ${show(mem)}, ratio ClickHouse/memory ${(chFresh.ms / mem.ms).toFixed(1)}`,
  );
  // Right after the load every insert is still its own part (FINAL merges them while reading);
  // after OPTIMIZE … FINAL, the steady state of data older than a few minutes.
  const parts = await chParts(ch.url, database);
  for (const table of ['events', 'sessions', 'event_ids', 'visitors', 'js_errors']) {
    await chQuery(ch.url, `OPTIMIZE TABLE ${database}.${table} FINAL`);
  }
  const chMerged = await timeStats(chStore, { ...range, website });
  console.log(
    `stats latency ClickHouse after OPTIMIZE FINAL (from ${parts} active parts of events): ${show(chMerged)}, ` +
      `ratio ClickHouse/memory ${(chMerged.ms / mem.ms).toFixed(1)}`,
  );
  const a = chMerged.answer;
  const b = mem.answer;
  const keys = ['visitors', 'sessions', 'pageviews', 'events', 'bounceRate', 'avgDuration'];
  const differ = keys.filter((key) => Math.abs(a[key] - b[key]) > 1e-6 * Math.max(1, Math.abs(b[key])));
  console.log(
    `stats answers: ClickHouse ${keys.map((key) => `${key} ${+a[key].toFixed(4)}`).join(', ')}; ` +
      (differ.length === 0
        ? 'the memory store answers the same'
        : `memory store ${differ.map((key) => `${key} ${+b[key].toFixed(4)}`).join(', ')}`),
  );
  await chStore.close?.();
}
