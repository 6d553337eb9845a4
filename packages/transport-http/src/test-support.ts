import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, type SkoposOptions, type Store, silentLogger } from '@skopos/core';
import { type MemoryStore, memoryStore, type WebsiteInput } from '@skopos/memory-store';
import { BROWSER_HEADERS } from '@skopos/test-utils';
import { createHttpHandler } from './handler.ts';
import { createNodeListener, toNodeListener } from './node.ts';
import type { HttpHandlerOptions } from './options.ts';

export { BROWSER_HEADERS };

export const SITE: WebsiteInput = { trackingId: 'site-a', domain: 'example.com' };

/** Reads behind the read key `r-key`, `X-Forwarded-For` trusted from loopback (the tests' peers). */
export const KEYED_READS = { siteId: SITE.trackingId, trustProxy: 'loopback', readKey: 'r-key' } as const;

/**
 * How test servers answer: `toNodeListener(createHttpHandler(…))` alone, or `createNodeListener`
 * (the write route straight on Node in front of it). The `*.node-write.test.ts` files switch to the
 * second and run a suite again, so that both paths are held to the same cases.
 */
let directWrites = false;

/** From now on, test servers answer writes by `createNodeWriteRoute` (see `createNodeListener`). */
export function answerWritesDirectly(): void {
  directWrites = true;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `{origin}/_tracker` */
  base: string;
  skopos: Skopos;
  store: MemoryStore;
  /** POST a JSON value (or raw string/bytes) to `{base}/events` with a browser's headers. */
  post(
    body: unknown,
    init?: { headers?: Record<string, string>; path?: string; raw?: boolean },
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface TestSetup {
  websites?: WebsiteInput[];
  /** Put something between the pipeline and the memory store (e.g. a failing store). */
  wrapStore?: (store: MemoryStore) => Store;
  /** Pipeline options over the defaults (`batch: false`: every event written at once). */
  pipeline?: Partial<Omit<SkoposOptions, 'store'>>;
  /** Answer writes by `createNodeWriteRoute` (default: as `answerWritesDirectly` set it). */
  directWrites?: boolean;
}

/** A real `node:http` server on a free port over a real pipeline and memory store. */
export async function startTestServer(
  options: Partial<Omit<HttpHandlerOptions, 'skopos'>> = {},
  setup: TestSetup = {},
): Promise<TestServer> {
  const store = memoryStore({ websites: setup.websites ?? [SITE] });
  const skopos = createSkopos({
    store: setup.wrapStore ? setup.wrapStore(store) : store,
    batch: false,
    logger: silentLogger,
    ...setup.pipeline,
  });
  const handlerOptions = { skopos, logger: silentLogger, ...options };
  const server = createServer(
    (setup.directWrites ?? directWrites)
      ? createNodeListener(handlerOptions)
      : toNodeListener(createHttpHandler(handlerOptions)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = `${origin}${options.basePath ?? '/_tracker'}`;
  return {
    origin,
    base,
    skopos,
    store,
    post(body, init = {}) {
      const payload = init.raw ? (body as string | Uint8Array<ArrayBuffer>) : JSON.stringify(body);
      return fetch(`${base}${init.path ?? '/events'}`, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', ...init.headers },
        body: payload,
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
export function pageView(path = '/', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'pageView', url: `https://example.com${path}`, ...extra };
}

/** A vite-plugin-monitor `TrackerEvent` (a click by default) on `appId` at `at` (epoch ms). */
export function monitorEvent(
  at: number,
  extra: Record<string, unknown> = {},
  appId: string = SITE.trackingId,
): Record<string, unknown> {
  return {
    timestamp: new Date(at).toISOString(),
    level: 'info',
    type: 'click',
    appId,
    sessionId: 'sess_1',
    userId: 'anon_1',
    payload: { tag: 'button', text: 'Buy' },
    meta: { userAgent: 'Mozilla/5.0', route: '/shop', viewport: '1280x720', language: 'en-US' },
    ...extra,
  };
}
