// Core pipeline throughput on one core: events/s through createSkopos (validation, site rules,
// client IP, bot scoring, visitor hashing, sessions, UA parsing, queue) into a store that only
// counts, with 1000 distinct user agents and 20 000 visitors. Input objects are created inside the
// timed loop (as a server's JSON parser would). Baseline in the same process: one SHA-256 per event,
// the per-event cost of the original SDK's visitor hash alone. Prints figures; asserts nothing.
import { createHash } from 'node:crypto';
import { createSkopos, idFromKey, silentLogger } from '@skopos/core';
import { userAgents } from './user-agents.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const CONCURRENCY = 100;
const uas = userAgents(1000);
const site = {
  id: idFromKey('website:bench'),
  trackingId: 'bench',
  name: 'bench',
  domain: 'example.com',
  disableLocalhostTracking: true,
  isArchived: false,
  ipBlacklist: ['10.0.0.0/8', '2001:db8::/32'],
  storeRawIp: false,
  discardShortSessions: false,
  dataRetentionDays: 0,
};
let written = 0;
const countingStore = {
  name: 'counting',
  getWebsite: (id) => (id === 'bench' ? site : null),
  write(batch) {
    written += batch.events.length;
  },
  query: () => ({ events: [], total: 0 }),
  ensureSecret: (_key, value) => value,
};

/** A vite-plugin-monitor event: a navigation, click, http call or custom event, as its client sends them. */
function monitorPayload(i, ua) {
  const route = `/p/${i % 300}`;
  const common = {
    timestamp: new Date().toISOString(),
    level: 'info',
    appId: 'bench',
    sessionId: `sess_${i % 20_000}`,
    userId: `anon_${i % 20_000}`,
    meta: { userAgent: ua, route, viewport: '1280x720', language: 'en-US' },
  };
  switch (i % 4) {
    case 0:
      return {
        ...common,
        type: 'navigation',
        payload: { from: '/', to: route, trigger: 'pushState', duration: 812 },
      };
    case 1:
      return {
        ...common,
        type: 'click',
        payload: {
          tag: 'button',
          text: 'Add to cart',
          classes: 'btn',
          xpath: '/html/body/main/button',
          coordinates: { x: 10, y: 20 },
        },
      };
    case 2:
      return {
        ...common,
        type: 'http',
        payload: { method: 'GET', url: '/api/cart', status: 200, duration: 31 },
      };
    default:
      return { ...common, type: 'custom', payload: { name: 'signup_click', data: { plan: 'pro' } } };
  }
}

/**
 * Skopos' browser payload: a page view, or every 5th a custom event; with `eventId` when given.
 * Built as one literal, as `JSON.parse` builds a request's events: a spread copy (`{ ...p, eventId }`)
 * makes objects V8 handles several times slower, which once showed up as the identity check's cost.
 */
function skoposPayload(i, custom, eventId) {
  if (custom) {
    return eventId === undefined
      ? {
          type: 'custom',
          name: 'signup_click',
          url: `https://example.com/p/${i % 300}`,
          customData: { plan: 'pro' },
        }
      : {
          type: 'custom',
          name: 'signup_click',
          url: `https://example.com/p/${i % 300}`,
          customData: { plan: 'pro' },
          eventId,
        };
  }
  const url = `https://example.com/p/${i % 300}?utm_source=x`;
  return eventId === undefined
    ? {
        type: 'pageView',
        url,
        referrer: 'https://www.google.com/',
        screenWidth: 1920,
        screenHeight: 1080,
        language: 'en-US',
      }
    : {
        type: 'pageView',
        url,
        referrer: 'https://www.google.com/',
        screenWidth: 1920,
        screenHeight: 1080,
        language: 'en-US',
        eventId,
      };
}

function input(i, shape = 'skopos') {
  const visitor = i % 20_000;
  const ua = uas[visitor % uas.length];
  const custom = i % 5 === 0;
  return {
    siteId: 'bench',
    payload:
      shape === 'monitor'
        ? monitorPayload(i, ua)
        : shape === 'skopos+id'
          ? skoposPayload(i, custom, `ev-${i}`)
          : skoposPayload(i, custom),
    request: {
      remoteAddress: `198.51.${(visitor >> 8) & 255}.${visitor & 255}`,
      headers: {
        'user-agent': ua,
        accept: '*/*',
        'accept-language': 'en-US,en;q=0.9',
        'sec-fetch-mode': 'no-cors',
        'sec-fetch-site': 'cross-site',
        origin: 'https://example.com',
      },
    },
  };
}

async function pipelineRate(shape) {
  const skopos = createSkopos({
    store: countingStore,
    logger: silentLogger,
    maxBatchSize: 1000,
    batchInterval: 1000,
  });
  // Inputs are made per chunk, as a server parses requests, so they die young like real ones
  // (a pre-built array of every input would sit in the old generation and skew GC).
  const chunk = (from) => Array.from({ length: CONCURRENCY }, (_, j) => skopos.track(input(from + j, shape)));
  // Warm-up: fills the UA, bot and visitor caches like a running server has them.
  for (let i = 0; i < 20_000; i += CONCURRENCY) await Promise.all(chunk(i));
  const start = performance.now();
  let ok = 0;
  for (let i = 0; i < EVENTS; i += CONCURRENCY) {
    for (const r of await Promise.all(chunk(i))) if (r.ok) ok++;
  }
  const seconds = (performance.now() - start) / 1000;
  await skopos.shutdown();
  if (ok !== EVENTS) throw new Error(`only ${ok} of ${EVENTS} events accepted`);
  return EVENTS / seconds;
}

function sha256Rate() {
  const inputs = Array.from({ length: EVENTS }, (_, i) => input(i));
  let sink = 0;
  const start = performance.now();
  for (const x of inputs) {
    const digest = createHash('sha256')
      .update(`${x.siteId}-${x.request.remoteAddress}-${x.request.headers['user-agent']}`)
      .digest('hex');
    sink += digest.charCodeAt(0);
  }
  const seconds = (performance.now() - start) / 1000;
  if (sink === 0) console.log('');
  return EVENTS / seconds;
}

const baseline = sha256Rate();
const pipeline = await pipelineRate('skopos');
const monitor = await pipelineRate('monitor');
// The identity check (exactly once): the same Skopos events, each with an `eventId` the pipeline
// remembers. Runs alternate with the plain ones and the best of each counts, so that load from
// other processes or a GC landing in one run does not decide a ratio of two close figures.
let identified = 0;
let plainBest = pipeline;
for (let round = 0; round < 3; round++) {
  identified = Math.max(identified, await pipelineRate('skopos+id'));
  plainBest = Math.max(plainBest, await pipelineRate('skopos'));
}
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(
  `core pipeline events/s (1000 UAs, 20000 visitors, ${CONCURRENCY} in flight, ${EVENTS} events): ${fmt(pipeline)}`,
);
console.log(
  `core pipeline events/s, vite-plugin-monitor events (navigation, click, http, custom): ${fmt(monitor)}`,
);
console.log(`baseline sha256-per-event/s: ${fmt(baseline)}`);
console.log(`ratio pipeline/baseline: ${(pipeline / baseline).toFixed(3)}`);
console.log(`ratio monitor pipeline/baseline: ${(monitor / baseline).toFixed(3)}`);
console.log(
  `core pipeline events/s with eventIds (identity check on): ${fmt(identified)} vs ${fmt(plainBest)} without, best of 3 alternating runs (${((1 - identified / plainBest) * 100).toFixed(1)} % cost)`,
);
console.log(`events written to the store: ${written}`);
if (typeof globalThis.gc === 'function') console.log(await identityWindowBytes());
else console.log('identity window memory: run with `node --expose-gc` to measure');

/** Memory (heap + array buffers) held by the identity window per 100 000 identities: the same traffic with and without eventIds. */
async function identityWindowBytes() {
  const heldAfter = async (shape) => {
    const skopos = createSkopos({
      store: countingStore,
      logger: silentLogger,
      maxBatchSize: 1000,
      batchInterval: 1000,
    });
    for (let i = 0; i < 100_000; i += CONCURRENCY) {
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, j) => skopos.track(input(i + j, shape))));
    }
    await skopos.flush();
    globalThis.gc();
    // The window keeps its entries in typed arrays, which live outside the JS heap.
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    const used = heapUsed + arrayBuffers;
    await skopos.shutdown();
    return used;
  };
  globalThis.gc();
  const without = await heldAfter('skopos');
  const withIds = await heldAfter('skopos+id');
  const bytes = withIds - without;
  return `identity window memory: ${(bytes / 1024 / 1024).toFixed(1)} MiB per 100 000 identities (${fmt(bytes / 100_000)} bytes each)`;
}
