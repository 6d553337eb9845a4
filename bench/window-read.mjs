// A whole-window read (vite-plugin-monitor's dashboard: GET /_tracker?since=…&until=…, no limit)
// over a memory store of BENCH_EVENTS monitor events, through the real HTTP handler on node:http.
// Prints the server's peak extra heap and the time to answer, against a baseline in the same run:
// the same answer built as one string before sending (what a read that collects first holds).
// Build first (`turbo run build`), run with `node --expose-gc bench/window-read.mjs`. Asserts nothing.
import { createServer, request } from 'node:http';
import { collectReadEvents, createSkopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { createHttpHandler } from '@skopos/transport-http';
import { toNodeListener } from '@skopos/transport-http/node';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc bench/window-read.mjs');
  process.exit(1);
}

const store = memoryStore({ websites: [{ trackingId: 'bench', domain: 'example.com' }] });
const skopos = createSkopos({ store, logger: silentLogger, clockSkew: { pastMs: 86_400_000 } });
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
// What Chrome sends with a tracker's fetch: the bot rules must see a browser.
const request0 = {
  headers: {
    'user-agent': UA,
    accept: '*/*',
    'accept-language': 'en-US,en;q=0.9',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'cross-site',
    'sec-fetch-dest': 'empty',
    origin: 'https://example.com',
  },
  remoteAddress: '203.0.113.7',
};
const start = Date.now() - 3_600_000;
for (let i = 0; i < EVENTS; i++) {
  const at = start + Math.floor((i * 3_000_000) / EVENTS);
  await skopos.track({
    siteId: 'bench',
    request: request0,
    payload: {
      timestamp: new Date(at).toISOString(),
      level: 'info',
      type: i % 2 ? 'click' : 'navigation',
      appId: 'bench',
      sessionId: `sess_${i % 5000}`,
      userId: `anon_${i % 5000}`,
      payload:
        i % 2
          ? { tag: 'button', text: 'Add to cart', xpath: '/html/body/main/button' }
          : { from: '/', to: `/p/${i % 300}`, trigger: 'pushState' },
      meta: {
        userAgent: request0.headers['user-agent'],
        route: `/p/${i % 300}`,
        viewport: '1280x720',
        language: 'en-US',
      },
    },
  });
}
await skopos.flush();
const stored = (await skopos.query({ limit: 1 })).total;
if (stored !== EVENTS) throw new Error(`stored ${stored} of ${EVENTS} events`);

/** Samples heapUsed every 5 ms while `run` works; answers its result, the peak above the start and the time. */
async function measure(run) {
  globalThis.gc();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 5);
  const began = performance.now();
  const result = await run();
  const ms = performance.now() - began;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { result, extraMb: (peak - base) / 1048576, ms };
}

const server = createServer(toNodeListener(createHttpHandler({ skopos, logger: silentLogger })));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/_tracker`;

/** Reads the answer, keeping only its size (the client is not what is measured). */
const streamed = () =>
  new Promise((resolve, reject) => {
    request(url, (response) => {
      let bytes = 0;
      response.on('data', (chunk) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve(bytes));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
const collected = async () => {
  const found = await collectReadEvents(
    (q) => skopos.query(q),
    { order: 'desc' },
    EVENTS,
    'bench',
    Number.POSITIVE_INFINITY,
  );
  return `{"events":[${found.json.join(',')}],"total":${found.total}}`.length;
};

console.log(`whole-window read of ${EVENTS} events (node ${process.version})`);
for (let round = 1; round <= 3; round++) {
  const a = await measure(streamed);
  const b = await measure(collected);
  console.log(
    `round ${round}: streamed ${(a.result / 1048576).toFixed(0)} MB in ${a.ms.toFixed(0)} ms, peak extra heap ${a.extraMb.toFixed(0)} MB` +
      ` | collected first: ${b.ms.toFixed(0)} ms, peak extra heap ${b.extraMb.toFixed(0)} MB` +
      ` | heap ratio ${(a.extraMb / b.extraMb).toFixed(3)}, time ratio ${(a.ms / b.ms).toFixed(2)}`,
  );
}
server.close();
await skopos.shutdown();
