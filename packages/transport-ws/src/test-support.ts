import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, type SkoposOptions, type Store, silentLogger } from '@skopos/core';
import { type MemoryStore, memoryStore, type WebsiteInput } from '@skopos/memory-store';
import { WebSocket } from 'ws';
import { attachWebSocketServer } from './attach-server.ts';
import type { WebSocketConstructor } from './client-options.ts';
import type { SkoposWebSocketServer, WebSocketServerOptions } from './server-options.ts';

/** The handshake headers Firefox sends: the bot detector must see a browser, not a script. */
export const BROWSER_HEADERS: Record<string, string> = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'accept-language': 'en-US,en;q=0.5',
  origin: 'https://example.com',
};

export const SITE: WebsiteInput = { trackingId: 'site-a', domain: 'example.com' };

/** `ws`'s client with a browser's handshake headers, shaped like the browser `WebSocket`. */
export const BrowserWebSocket: WebSocketConstructor = class extends WebSocket {
  constructor(url: string) {
    super(url, { headers: BROWSER_HEADERS });
  }
};

export interface WsTestServer {
  /** `ws://127.0.0.1:<port>/_tracker/ws` */
  url: string;
  port: number;
  skopos: Skopos;
  store: MemoryStore;
  ws: SkoposWebSocketServer;
  /** Paths of every stored event, oldest first. */
  storedPaths(): Promise<string[]>;
  /** Stops the HTTP and WebSocket servers (connections dropped), keeping the pipeline and store. */
  stop(): Promise<void>;
  /** Listens again on the same port with a fresh WebSocket server over the same pipeline. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

type ServerSetup = Partial<Omit<WebSocketServerOptions, 'skopos' | 'server'>>;

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/**
 * A real `node:http` server on 127.0.0.1 with the WebSocket endpoint over a real pipeline and
 * memory store; `pipeline` overrides pipeline options (e.g. `clockSkew` for recorded traffic).
 */
const ACCESS_OPTIONS = ['readKey', 'apiKey', 'authorizeRead', 'reads'] as const;

export async function startWsTestServer(
  options: ServerSetup = {},
  websites: WebsiteInput[] = [SITE],
  pipeline: Partial<Omit<SkoposOptions, 'store'>> & { wrapStore?: (store: MemoryStore) => Store } = {},
): Promise<WsTestServer> {
  const store = memoryStore({ websites });
  const { wrapStore, ...rest } = pipeline;
  const skopos = createSkopos({
    store: wrapStore ? wrapStore(store) : store,
    batch: false,
    logger: silentLogger,
    ...rest,
  });
  let http = createServer();
  let ws = attachWebSocketServer({
    server: http,
    skopos,
    siteId: SITE.trackingId,
    logger: silentLogger,
    // The clients here carry a page's Origin (BROWSER_HEADERS) and read too; origins.test.ts covers
    // the default. A page elsewhere is no local reader, so reads are opened by a hook unless the
    // test is about read access (it then names its own credentials, or `reads: true`).
    readOrigins: '*',
    ...(ACCESS_OPTIONS.some((name) => name in options) ? {} : { authorizeRead: () => true }),
    ...options,
  });
  const port = await listen(http, 0);
  const stop = async (): Promise<void> => {
    const closing = new Promise<void>((resolve) => http.close(() => resolve()));
    await ws.close();
    http.closeAllConnections();
    await closing;
  };
  const handle: WsTestServer = {
    url: `ws://127.0.0.1:${port}/_tracker/ws`,
    port,
    skopos,
    store,
    ws,
    storedPaths: () => storedPaths(skopos),
    stop,
    async restart() {
      http = createServer();
      ws = attachWebSocketServer({
        server: http,
        skopos,
        siteId: SITE.trackingId,
        logger: silentLogger,
        readOrigins: '*',
        ...options,
      });
      handle.ws = ws;
      await listen(http, port);
    },
    async close() {
      if (http.listening) await stop();
      await skopos.shutdown();
    },
  };
  return handle;
}

/** A valid seed 000 page view on the test site. */
export function pageView(path = '/', extra: Record<string, unknown> = {}): { type: 'pageView'; url: string } {
  return { type: 'pageView', url: `https://example.com${path}`, ...extra };
}

/** Paths of every stored event of the test store, oldest first. */
export async function storedPaths(skopos: Skopos): Promise<string[]> {
  const page = await skopos.query({ limit: 1000 });
  return page.events.map((event) => event.path);
}
