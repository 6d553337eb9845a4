// Memory store at the seed's default capacity: 500k realistic events (≈100k sessions of ~5 events,
// a few hundred paths, some custom events with small eventData, visitor and session rows as the
// pipeline writes them). Prints memory per event, write rate, and stats/query latency. Build first
// (`turbo run build`), run with `node --expose-gc bench/memory-store.mjs`. Asserts nothing.
import { newId } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500_000);
const EVENTS_PER_SESSION = 5;
const BATCH_EVENTS = 500;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 15);
const SITES = [newId(), newId(), newId()];
const PATHS = Array.from({ length: 300 }, (_, i) => `/section-${i % 12}/page-${i}`);
const REFERRERS = [
  '',
  '',
  '',
  ...Array.from({ length: 60 }, (_, i) => `https://www.site${i}.example/from/${i}`),
];
const pick = (list, i) => list[i % list.length];
const hex = () => newId() + newId() + newId() + newId();

if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc bench/memory-store.mjs');
  process.exit(1);
}
let seed = 42;
function random() {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}

function sessionRow(n, visitor, startedAt, events, last) {
  return {
    id: `${newId()}`,
    website: SITES[n % 20 === 0 ? 1 : n % 50 === 1 ? 2 : 0],
    visitor: visitor.id,
    browser: pick(['Chrome', 'Safari', 'Firefox', 'Edge', 'Samsung Internet', 'Opera'], n),
    os: pick(['Windows', 'macOS', 'iOS', 'Android', 'Linux'], n * 7),
    device: pick(['desktop', 'mobile', 'tablet'], n * 3),
    screenWidth: pick([1920, 1440, 390, 414, 768], n),
    screenHeight: pick([1080, 900, 844, 896, 1024], n),
    language: pick(['en-US', 'de-DE', 'fr-FR', 'es-ES'], n),
    entryPath: pick(PATHS, n),
    exitPath: pick(PATHS, n + events),
    referrer: pick(REFERRERS, n * 13),
    utmSource: pick(['', '', '', 'newsletter', 'twitter', 'ads'], n),
    utmMedium: pick(['', '', 'email', 'social', 'cpc'], n),
    utmCampaign: pick(['', '', '', 'spring', 'launch'], n),
    country: pick(['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'NL', 'ES', 'IT', 'PL'], n * 11),
    state: '',
    isNewVisitor: n % 3 !== 0,
    eventCount: events,
    isEngaged: events > 1,
    startedAt,
    lastActivityAt: last,
    duration: Math.round((last - startedAt) / 1000),
  };
}

/** One pipeline-like batch: new visitors, the sessions' latest rows and their events. */
function makeBatch(firstSession, sessions, visitors) {
  const batch = { visitors: [], sessions: [], events: [], jsErrors: [], discardedSessions: [] };
  for (let n = firstSession; n < firstSession + sessions; n++) {
    const returning = n % 4 === 0 && visitors.length > 0;
    const visitor = returning
      ? visitors[Math.floor(random() * visitors.length)]
      : { id: newId(), website: SITES[0], visitorId: hex() };
    if (!returning) {
      batch.visitors.push(visitor);
      visitors.push(visitor);
      if (visitors.length > 20_000) visitors.shift();
    }
    const startedAt = T0 + Math.floor((n / (EVENTS / EVENTS_PER_SESSION)) * DAY);
    let t = startedAt;
    const events = EVENTS_PER_SESSION;
    const row = sessionRow(n, visitor, startedAt, events, startedAt);
    for (let e = 0; e < events; e++) {
      const custom = random() < 0.12;
      batch.events.push({
        id: newId(),
        session: row.id,
        website: row.website,
        type: custom ? 'custom' : 'pageView',
        path: pick(PATHS, Math.floor(random() * 40) * 7 + n),
        eventName: custom ? pick(['signup', 'add_to_cart', 'search', 'share'], e + n) : '',
        ...(custom ? { eventData: { plan: pick(['free', 'pro'], n), value: n % 100 } } : {}),
        timestamp: t,
      });
      t += 5_000 + Math.floor(random() * 60_000);
    }
    batch.sessions.push({ ...row, lastActivityAt: t, duration: Math.round((t - startedAt) / 1000) });
  }
  return batch;
}

/** Live bytes after full GCs; typed-array backing stores are freed by a sweeper, hence the pause. */
const heap = async () => {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 100));
  globalThis.gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, total: usage.heapUsed + usage.arrayBuffers };
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
function timeRuns(runs, fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

const visitors = [];
const before = await heap();
const store = memoryStore({ maxBufferSize: EVENTS });
let writeMs = 0;
const sessionsPerBatch = BATCH_EVENTS / EVENTS_PER_SESSION;
for (let n = 0; n < EVENTS / EVENTS_PER_SESSION; n += sessionsPerBatch) {
  const batch = makeBatch(n, sessionsPerBatch, visitors);
  const start = performance.now();
  store.write(batch);
  writeMs += performance.now() - start;
}
visitors.length = 0;
const after = await heap();
const held = store.size;

const query = { website: SITES[0], since: T0, until: T0 + DAY };
const statsMs = timeRuns(15, () => store.stats(query));
const firstPage = store.query({ ...query, limit: 100 });
const pageMs = timeRuns(21, () => store.query({ ...query, limit: 100, cursor: firstPage.nextCursor }));
const descMs = timeRuns(21, () => store.query({ ...query, limit: 100, order: 'desc' }));
const stats = store.stats(query);

console.log(
  `memory-store events held: ${held} (${stats.sessions} sessions, ${stats.visitors} visitors in site 0)`,
);
console.log(`memory-store bytes/event @500k: ${Math.round((after.total - before.total) / held)}`);
console.log(`memory-store heap-only bytes/event @500k: ${Math.round((after.heap - before.heap) / held)}`);
console.log(`memory-store write events/s: ${Math.round(held / (writeMs / 1000))}`);
console.log(`memory-store stats p50 over 500k: ${statsMs.toFixed(1)} ms`);
console.log(`memory-store query page p50: ${pageMs.toFixed(2)} ms`);
console.log(`memory-store query page (desc) p50: ${descMs.toFixed(2)} ms`);
