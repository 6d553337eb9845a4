// Memory store at the seed's default capacity: 500k realistic events (≈100k sessions of ~5 events,
// a few hundred paths, some custom events with small eventData, visitor and session rows as the
// pipeline writes them, each event with the receive time, appId and level the 0.2 pipeline stores).
// Prints memory per event, write rate, and stats/query latency. Then the same 500k as full
// vite-plugin-monitor TrackerEvents (every field: tab and user ids, context, payload, meta with
// userAttributes), made from one event of each type of the peer's real traffic
// (shared/fixtures/vite-plugin-monitor-1.7/client-events.json, or BENCH_MONITOR_FIXTURE).
// Build first (`turbo run build`), run with `node --expose-gc bench/memory-store.mjs`. Asserts nothing.
import { readFileSync } from 'node:fs';
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
const uuid = () => {
  const h = hex();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
const FIXTURE =
  process.env.BENCH_MONITOR_FIXTURE ??
  new URL('../../shared/fixtures/vite-plugin-monitor-1.7/client-events.json', import.meta.url).pathname;

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
    pageViews: events - 1,
    isEngaged: events > 1,
    startedAt,
    lastActivityAt: last,
    duration: Math.round((last - startedAt) / 1000),
  };
}

/** A seed 000 event (page view or custom with small eventData) as the 0.2 pipeline stores it. */
function skoposEvent(row, e, n, t) {
  const custom = random() < 0.12;
  return {
    id: newId(),
    session: row.id,
    website: row.website,
    type: custom ? 'custom' : 'pageView',
    path: pick(PATHS, Math.floor(random() * 40) * 7 + n),
    eventName: custom ? pick(['signup', 'add_to_cart', 'search', 'share'], e + n) : '',
    ...(custom ? { eventData: { plan: pick(['free', 'pro'], n), value: n % 100 } } : {}),
    timestamp: t,
    receivedAt: t + 40 + (n % 200),
    appId: row.website,
    level: 'info',
  };
}

/** The first event of each type in the peer's traffic, with the context and user attributes it sets later. */
function monitorTemplates() {
  const events = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  const context = events.find((event) => event.context)?.context;
  const userAttributes = events.find((event) => event.meta.userAttributes)?.meta.userAttributes;
  const groupId = events.find((event) => event.groupId)?.groupId;
  const byType = new Map();
  for (const event of events) if (!byType.has(event.type)) byType.set(event.type, event);
  return [...byType.values()].map((event) => ({
    ...event,
    ...(event.type === 'custom' ? { groupId } : {}),
    context,
    meta: { ...event.meta, userAttributes },
  }));
}

/**
 * A TrackerEvent of the template's type, as the 0.2 pipeline stores it: one tab and user per
 * session, the route (`meta.route`, the path) changing only with a navigation, as in a browser.
 */
function monitorEvent(templates, row, e, n, t) {
  const template = pick(templates, e + n);
  const from = row.route;
  if (e === 0 || template.type === 'navigation') row.route = pick(PATHS, Math.floor(random() * 40) * 7 + n);
  const path = row.route;
  const payload = template.type === 'navigation' ? { ...template.payload, from, to: path } : template.payload;
  const event = {
    id: newId(),
    session: row.id,
    website: row.website,
    type: template.type,
    path,
    eventName: '',
    timestamp: t,
    receivedAt: t + 40 + (n % 200),
    appId: template.appId,
    level: template.level,
    clientSessionId: row.tab,
    userId: row.user,
    context: template.context,
    payload,
    meta: { ...template.meta, route: path },
  };
  if (template.groupId) event.groupId = template.groupId;
  if (template.type === 'custom') {
    event.eventName = template.payload.name;
    event.eventData = template.payload.data;
  } else if (template.type === 'error') {
    event.eventName = template.payload.message;
  }
  return event;
}

/** One pipeline-like batch: new visitors, the sessions' latest rows and their events. */
function makeBatch(firstSession, sessions, visitors, makeEvent) {
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
    const tab = { ...row, tab: `sess_${uuid()}`, user: `anon_${visitor.visitorId.slice(0, 36)}`, route: '/' };
    for (let e = 0; e < events; e++) {
      batch.events.push(makeEvent(tab, e, n, t));
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

/** Fill a store with 500k events made by `makeEvent`; answers it, its live bytes and its write time. */
async function fill(makeEvent) {
  const visitors = [];
  seed = 42;
  const before = await heap();
  const store = memoryStore({ maxBufferSize: EVENTS });
  let writeMs = 0;
  const sessionsPerBatch = BATCH_EVENTS / EVENTS_PER_SESSION;
  for (let n = 0; n < EVENTS / EVENTS_PER_SESSION; n += sessionsPerBatch) {
    const batch = makeBatch(n, sessionsPerBatch, visitors, makeEvent);
    const start = performance.now();
    store.write(batch);
    writeMs += performance.now() - start;
  }
  visitors.length = 0;
  const after = await heap();
  return { store, writeMs, total: after.total - before.total, heap: after.heap - before.heap };
}

/** Seed 000 events: memory, write rate and read latencies (the store is dropped on return). */
async function benchSkoposEvents() {
  const { store, writeMs, total, heap: heapBytes } = await fill(skoposEvent);
  const held = store.size;
  const query = { website: SITES[0], since: T0, until: T0 + DAY };
  const statsMs = timeRuns(15, () => store.stats(query));
  const firstPage = store.query({ ...query, limit: 100 });
  const pageMs = timeRuns(21, () => store.query({ ...query, limit: 100, cursor: firstPage.nextCursor }));
  const descMs = timeRuns(21, () => store.query({ ...query, limit: 100, order: 'desc' }));
  const offsetMs = timeRuns(21, () => store.query({ ...query, limit: 100, offset: 1000, order: 'desc' }));
  const filterMs = timeRuns(11, () => store.query({ ...query, limit: 100, type: 'custom', level: 'info' }));
  const searchMs = timeRuns(5, () => store.query({ ...query, limit: 100, search: 'add_to_cart' }));
  const stats = store.stats(query);

  console.log(
    `memory-store events held: ${held} (${stats.sessions} sessions, ${stats.visitors} visitors in site 0)`,
  );
  console.log(`memory-store bytes/event @500k: ${Math.round(total / held)}`);
  console.log(`memory-store heap-only bytes/event @500k: ${Math.round(heapBytes / held)}`);
  console.log(`memory-store write events/s: ${Math.round(held / (writeMs / 1000))}`);
  console.log(`memory-store stats p50 over 500k: ${statsMs.toFixed(1)} ms`);
  console.log(`memory-store query page p50: ${pageMs.toFixed(2)} ms`);
  console.log(`memory-store query page (desc) p50: ${descMs.toFixed(2)} ms`);
  console.log(`memory-store query page (desc, offset 1000) p50: ${offsetMs.toFixed(2)} ms`);
  console.log(`memory-store query page (type + level filter) p50: ${filterMs.toFixed(2)} ms`);
  console.log(`memory-store query page (search) p50: ${searchMs.toFixed(1)} ms`);
}

/** Full TrackerEvents: memory and write rate. */
async function benchMonitorEvents() {
  const templates = monitorTemplates();
  const { store, writeMs, total } = await fill((row, e, n, t) => monitorEvent(templates, row, e, n, t));
  const held = store.size;
  console.log(
    `memory-store bytes/event @500k (full vite-plugin-monitor events): ${Math.round(total / held)}`,
  );
  console.log(
    `memory-store write events/s (full vite-plugin-monitor events): ${Math.round(held / (writeMs / 1000))}`,
  );
}

await benchSkoposEvents();
await benchMonitorEvents();
