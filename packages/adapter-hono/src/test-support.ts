import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSkopos, type Skopos, type SkoposOptions, silentLogger } from '@skopos/core';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import { BROWSER_HEADERS } from '@skopos/test-utils';
import { Hono } from 'hono';

export { BROWSER_HEADERS };

export const SITE_ID = 'site-a';

export interface TestApp {
  origin: string;
  skopos: Skopos;
  store: MemoryStore;
  /** POST JSON (or a raw string with `raw: true`) to a path with a browser's headers. */
  post(
    path: string,
    body: unknown,
    init?: { headers?: Record<string, string>; raw?: boolean },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** A real Hono app on `@hono/node-server`, on a free loopback port, over a real pipeline and memory store. */
export async function startApp(
  configure: (app: Hono, skopos: Skopos) => void,
  pipeline: Partial<Omit<SkoposOptions, 'store'>> = {},
): Promise<TestApp> {
  const store = memoryStore({ websites: [{ trackingId: SITE_ID, domain: 'example.com' }] });
  const skopos = createSkopos({ store, batch: false, logger: silentLogger, ...pipeline });
  const app = new Hono();
  configure(app, skopos);
  let port = 0;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      port = info.port;
      resolve(started);
    });
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    skopos,
    store,
    post(path, body, init = {}) {
      return fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', ...init.headers },
        body: init.raw ? (body as string) : JSON.stringify(body),
      });
    },
    async close() {
      await skopos.shutdown();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A valid seed 000 page view on the test site. */
export function pageView(path = '/'): Record<string, unknown> {
  return { type: 'pageView', url: `https://example.com${path}` };
}

/** Every stored event's path, oldest first. */
export async function storedPaths(app: TestApp): Promise<string[]> {
  await app.skopos.flush();
  return app.store
    .query({ since: 0, until: Date.now() + 60_000, order: 'asc' })
    .events.map((event) => event.path);
}
