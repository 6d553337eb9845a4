import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, type SkoposOptions, type Store, silentLogger } from '@skopos/core';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import { BROWSER_HEADERS } from '@skopos/test-utils';
import express, { type Express } from 'express';

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

/** A real Express app on a free loopback port over a real pipeline and memory store. */
export async function startApp(
  configure: (app: Express, skopos: Skopos) => void,
  wrapStore?: (store: MemoryStore) => Store,
  pipeline: Pick<SkoposOptions, 'trustProxy'> = {},
  makeApp: () => Express = express,
): Promise<TestApp> {
  const store = memoryStore({ websites: [{ trackingId: SITE_ID, domain: 'example.com' }] });
  const skopos = createSkopos({
    store: wrapStore ? wrapStore(store) : store,
    batch: false,
    logger: silentLogger,
    ...pipeline,
  });
  const app = makeApp();
  configure(app, skopos);
  const server = await new Promise<Server>((resolve) => {
    const listening: Server = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
      server.closeAllConnections();
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
  const page = app.store.query({ since: 0, until: Date.now() + 60_000, order: 'asc' });
  return page.events.map((event) => event.path);
}
