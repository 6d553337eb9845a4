// One Express app of bench/sdk-express.mjs, in its own process so its CPU is its own:
// `node app.mjs <mode>` with POCKETBASE_URL, SKOPOS_SITE_ID, PB_ADMIN_EMAIL, PB_ADMIN_PASSWORD.
// Modes: `floor` (the route does nothing), `original` (one request per record, awaited),
// `sdk` (seed 000's quick start: fire and forget, `batch: true`, `batchInterval: 5000`).
// `GET /__bench` answers this process's CPU microseconds and the events persisted so far;
// `POST /__bench/flush` writes what the SDK still holds. SIGTERM shuts down (and lets
// `--cpu-prof` write its profile).
import express from 'express';
import { originalRoute } from './original-route.mjs';

const mode = process.argv[2];
// Requests this process sends to PocketBase (the pocketbase SDK and the store call the global fetch).
let fetches = 0;
const globalFetch = globalThis.fetch;
globalThis.fetch = (...args) => {
  fetches++;
  return globalFetch(...args);
};
const env = process.env;
const app = express();
app.use(express.json());

let persisted = 0;
let failed = 0;
let flush = async () => {};
let shutdown = async () => {};

if (mode === 'floor') {
  app.post('/api/event', (_req, res) => {
    persisted++;
    res.status(204).end();
  });
} else if (mode === 'original') {
  const track = await originalRoute(
    env.POCKETBASE_URL,
    env.PB_ADMIN_EMAIL,
    env.PB_ADMIN_PASSWORD,
    env.SKOPOS_SITE_ID,
  );
  app.post('/api/event', async (req, res) => {
    try {
      if (await track(req, req.body)) persisted++;
    } catch {
      failed++;
    }
    res.status(204).end();
  });
} else if (mode === 'sdk') {
  const { default: SkoposSDK } = await import('@skopos/sdk');
  const skopos = await SkoposSDK.init({
    pocketbaseUrl: env.POCKETBASE_URL,
    siteId: env.SKOPOS_SITE_ID,
    adminEmail: env.PB_ADMIN_EMAIL,
    adminPassword: env.PB_ADMIN_PASSWORD,
    batch: true,
    batchInterval: 5000,
    // Loopback has one address: the load generator tells visitors apart with X-Forwarded-For.
    trustProxy: 'loopback',
  });
  app.post('/api/event', (req, res) => {
    skopos.trackApiEvent(req, req.body);
    res.status(204).end();
  });
  flush = () => skopos.flushEvents();
  shutdown = () => skopos.shutdown();
  Object.defineProperty(globalThis, '__counters', { get: () => skopos.counters() });
} else {
  throw new Error(`unknown mode ${mode}`);
}

app.get('/__bench', (_req, res) => {
  const cpu = process.cpuUsage();
  const counters = globalThis.__counters;
  res.json({
    cpu: cpu.user + cpu.system,
    fetches,
    persisted: counters ? counters.stored : persisted,
    failed: counters ? counters.storeFailures : failed,
    dropped: counters ? Object.values(counters.dropped).reduce((a, b) => a + b, 0) : 0,
  });
});
app.post('/__bench/flush', async (_req, res) => {
  await flush();
  res.status(204).end();
});

const server = app.listen(0, '127.0.0.1', () => console.log(`LISTENING ${server.address().port}`));
process.once('SIGTERM', async () => {
  server.close();
  server.closeAllConnections();
  await shutdown();
  process.exit(0);
});
