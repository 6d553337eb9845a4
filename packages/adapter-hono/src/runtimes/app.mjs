// The app a user writes on any runtime: the tracker's routes, the original Skopos SDK's `/api/event`
// route, and a PocketBase store. `settings` holds the store's URL and superuser and the site id;
// `storeOptions` what the runtime adds (a Worker: `realtime: false`).
import { createSkopos } from '@skopos/core';
import { createHonoTracker, skoposHono } from '@skopos/hono';
import { pocketbaseStore } from '@skopos/pocketbase-store';
import { Hono } from 'hono';

export function createApp(settings, getConnInfo, storeOptions = {}) {
  const store = pocketbaseStore({
    url: settings.PB_URL,
    adminEmail: settings.PB_EMAIL,
    adminPassword: settings.PB_PASSWORD,
    ...(settings.PB_TIMEOUT_MS === undefined ? {} : { timeoutMs: Number(settings.PB_TIMEOUT_MS) }),
    ...storeOptions,
  });
  const skopos = createSkopos({
    store,
    // Far beyond the test: events are written by the shutdown (servers) or each request (Workers).
    batchInterval: 60_000,
    siteRefreshMs: Number(settings.SITE_REFRESH_MS ?? 60_000),
  });
  const siteId = settings.SITE_ID;
  const tracker = createHonoTracker({ skopos, siteId, getConnInfo });
  const app = new Hono();
  app.use(skoposHono({ skopos, siteId, getConnInfo }));
  app.post('/api/event', async (c) => {
    tracker.trackApiEvent(c, await c.req.json().catch(() => null));
    return c.body(null, 204);
  });
  return { app, skopos };
}
