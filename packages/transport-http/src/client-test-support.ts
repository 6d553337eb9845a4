import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, silentLogger, type TrackerEvent } from '@skopos/core';
import { type MemoryStore, memoryStore } from '@skopos/memory-store';
import { createHttpHandler } from './handler.ts';
import { toNodeListener } from './node.ts';
import type { HttpHandler } from './options.ts';
import { SITE } from './test-support.ts';

/** One request as the server saw it. */
export interface SeenRequest {
  status: number;
  contentType: string | null;
  key: string | null;
  url: string;
  /** Events in the body (0 when it was not a batch). */
  count: number;
}

export interface CentralServer {
  /** `http://127.0.0.1:<port>/_tracker/events` */
  endpoint: string;
  skopos: Skopos;
  store: MemoryStore;
  seen: SeenRequest[];
  /** Answers this instead of the real handler for the next requests (a proxy's 429, a 503…). */
  override: ((request: Request) => Response | undefined) | undefined;
  /** Paths of the stored events, oldest first. */
  storedPaths(): Promise<string[]>;
  /** Stops listening; the pipeline and its store stay, as across a server restart behind a load balancer. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function countEvents(request: Request): Promise<number> {
  try {
    const body: unknown = JSON.parse(await request.clone().text());
    if (typeof body === 'object' && body !== null && 'events' in body && Array.isArray(body.events)) {
      return body.events.length;
    }
  } catch {
    // Not JSON: the real handler answers 400 and the count stays 0.
  }
  return 0;
}

/** A real central Skopos server (node:http + handler + pipeline + memory store) that records what it saw. */
export async function startCentralServer(apiKey?: string): Promise<CentralServer> {
  const store = memoryStore({ websites: [SITE] });
  const skopos = createSkopos({ store, batch: false, logger: silentLogger });
  const handler = createHttpHandler({ skopos, siteId: SITE.trackingId, apiKey, logger: silentLogger });
  const central: CentralServer = {
    endpoint: '',
    skopos,
    store,
    seen: [],
    override: undefined,
    async storedPaths() {
      await skopos.flush();
      const page = await store.query({ order: 'asc', limit: 1000 });
      return page.events.map((event) => event.path);
    },
    stop: async () => {},
    restart: async () => {},
    close: async () => {},
  };
  const recording: HttpHandler = async (request, info) => {
    const count = await countEvents(request);
    const response = central.override?.(request) ?? (await handler(request, info));
    const { status } = response;
    const contentType = request.headers.get('content-type');
    central.seen.push({
      status,
      contentType,
      key: request.headers.get('x-tracker-key'),
      url: request.url,
      count,
    });
    return response;
  };
  let server: Server = createServer(toNodeListener(recording));
  const listen = (port: number): Promise<number> =>
    new Promise((resolve) =>
      server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
    );
  const port = await listen(0);
  central.endpoint = `http://127.0.0.1:${port}/_tracker/events`;
  central.stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  central.restart = async () => {
    server = createServer(toNodeListener(recording));
    await listen(port);
  };
  central.close = async () => {
    if (server.listening) await central.stop();
    await skopos.shutdown();
  };
  return central;
}

/** A valid page view on the test site, typed as the client sends it. */
export function view(path: string, extra: Partial<TrackerEvent> = {}): TrackerEvent {
  return { type: 'pageView', url: `https://example.com${path}`, ...extra };
}
