import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { SkoposSDK } from './skopos-sdk.ts';
import { BROWSER_HEADERS, type SeedApp, startSeedApp } from './test-support.ts';

let app: SeedApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function sdkOn(store: MemoryStore): Promise<SkoposSDK> {
  return SkoposSDK.init({ siteId: 'site-1', store, logSink: () => {} });
}

function siteStore(): MemoryStore {
  return memoryStore({ websites: [{ trackingId: 'site-1', domain: 'example.com' }] });
}

/** The stored server events as `[path, eventName]`, and the entry and exit pages of their sessions. */
function stored(store: MemoryStore) {
  const website = store.getWebsite('site-1')?.id as string;
  const events = store.query({ website, limit: 100 }).events.map((e) => [e.path, e.eventName]);
  const sessions = store.readSessions(website).map((s) => [s.entryPath, s.exitPath, s.referrer]);
  return { events, sessions };
}

describe('SkoposSDK.trackServerEvent — the page of the request', () => {
  it('an Express route: the path of req.url without its query and its Referer, for the event and the session it opens', async () => {
    const store = siteStore();
    const skopos = await sdkOn(store);
    app = await startSeedApp(skopos);
    const response = await app.post(
      '/internal/signup?x=1&token=secret',
      { id: 'u-1' },
      { referer: 'https://news.example.org/' },
    );
    expect(response.status).toBe(200);
    await skopos.shutdown();
    expect(stored(store)).toEqual({
      events: [['/internal/signup', 'user_signup']],
      sessions: [['/internal/signup', '/internal/signup', 'https://news.example.org/']],
    });
  });

  it('an Express router mounted at a path: the path the client asked for, not the one the router sees', async () => {
    const store = siteStore();
    const skopos = await sdkOn(store);
    app = await startSeedApp(skopos, (server) => {
      const hooks = express.Router();
      hooks.post('/stripe', async (req, res) => {
        res.json(await skopos.trackServerEvent(req, 'payment_received'));
      });
      server.use('/hooks', hooks);
    });
    expect(await (await app.post('/hooks/stripe?attempt=2', {})).json()).toMatchObject({ ok: true });
    await skopos.shutdown();
    expect(stored(store).events).toEqual([['/hooks/stripe', 'payment_received']]);
  });

  it('a node:http IncomingMessage and a Fetch Request: their paths; no request at all: /', async () => {
    const store = siteStore();
    const skopos = await sdkOn(store);
    const server = createServer(async (req, res) => {
      const result = await skopos.trackServerEvent(req, 'nightly_export');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/cron/nightly?key=abc`, { headers: BROWSER_HEADERS });
    expect(await answer.json()).toMatchObject({ ok: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const fetchRequest = new Request('https://api.example.com/webhooks/github?delivery=7', {
      method: 'POST',
      headers: BROWSER_HEADERS,
    });
    expect(await skopos.trackServerEvent(fetchRequest, 'push_received')).toMatchObject({ ok: true });
    expect(await skopos.trackServerEvent(null, 'cache_cleared')).toMatchObject({ ok: true });
    await skopos.shutdown();
    expect(stored(store).events).toEqual([
      ['/cron/nightly', 'nightly_export'],
      ['/webhooks/github', 'push_received'],
      ['/', 'cache_cleared'],
    ]);
  });
});
