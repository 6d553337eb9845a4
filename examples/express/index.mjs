// The original Skopos SDK's Express quick start on Skopos: your own /api/event route, a server-side event, the
// tracker routes mounted under /_tracker, and a graceful shutdown that writes what is queued.
import { createLogger, createSkopos } from '@skopos/core';
import { createExpressTracker, skoposExpress } from '@skopos/express';
import { memoryStore } from '@skopos/memory-store';
import express from 'express';

const siteId = process.env.SKOPOS_SITE_ID ?? 'my-app';
const log = createLogger({ prefix: '[example-express]' });

const skopos = createSkopos({
  // The memory store keeps events in this process; swap in a PocketBase store for persistence (README).
  // An empty domain accepts events from any host; set SKOPOS_SITE_DOMAIN=example.com to check it.
  store: memoryStore({ websites: [{ trackingId: siteId, domain: process.env.SKOPOS_SITE_DOMAIN ?? '' }] }),
  batchInterval: 5000,
  logLevel: process.env.NODE_ENV === 'production' ? 'info' : 'debug',
});
const tracker = createExpressTracker({ skopos, siteId });

const app = express();
// Only behind a reverse proxy on this machine; without it X-Forwarded-For is ignored.
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY);
app.use(express.json());
// POST /_tracker/events (batches, sendBeacon), GET /_tracker (read), /_tracker/stats, /_tracker/ping
app.use(skoposExpress({ skopos, siteId }));

app.post('/api/event', (req, res) => {
  tracker.trackApiEvent(req, req.body);
  res.status(204).end();
});

app.post('/internal/signup', (req, res) => {
  tracker.trackServerEvent(req, 'user_signup', { userId: req.body?.id });
  res.json({ ok: true });
});

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  log.info(`listening on http://${address}:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    server.close();
    await skopos.shutdown(); // writes the queued events before exit
    process.exit(0);
  });
}
