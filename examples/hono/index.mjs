// The original Skopos SDK's quick start on Hono and Skopos: your own /api/event route, a server-side event, the
// tracker routes mounted under /_tracker, and a graceful shutdown that writes what is queued.
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createLogger, createSkopos } from '@skopos/core';
import { createHonoTracker, skoposHono } from '@skopos/hono';
import { memoryStore } from '@skopos/memory-store';
import { Hono } from 'hono';

const siteId = process.env.SKOPOS_SITE_ID ?? 'my-app';
const log = createLogger({ prefix: '[example-hono]' });

const skopos = createSkopos({
  // The memory store keeps events in this process; swap in a PocketBase store for persistence (README).
  // An empty domain accepts events from any host; set SKOPOS_SITE_DOMAIN=example.com to check it.
  store: memoryStore({ websites: [{ trackingId: siteId, domain: process.env.SKOPOS_SITE_DOMAIN ?? '' }] }),
  batchInterval: 5000,
  logLevel: process.env.NODE_ENV === 'production' ? 'info' : 'debug',
});
// Only behind a reverse proxy on this machine; without it X-Forwarded-For is ignored.
const client = { getConnInfo, trustProxy: process.env.TRUST_PROXY || undefined };
const tracker = createHonoTracker({ skopos, siteId, ...client });

const app = new Hono();
// POST /_tracker/events (batches, sendBeacon), GET /_tracker (read), /_tracker/stats, /_tracker/ping
app.use(skoposHono({ skopos, siteId, ...client }));

app.post('/api/event', async (c) => {
  tracker.trackApiEvent(c, await c.req.json().catch(() => null));
  return c.body(null, 204);
});

app.post('/internal/signup', async (c) => {
  const body = await c.req.json().catch(() => ({}));
  tracker.trackServerEvent(c, 'user_signup', { userId: body?.id });
  return c.json({ ok: true });
});

const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: process.env.HOST ?? '127.0.0.1' },
  ({ address, port }) => log.info(`listening on http://${address}:${port}`),
);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    server.close();
    await skopos.shutdown(); // writes the queued events before exit
    process.exit(0);
  });
}
