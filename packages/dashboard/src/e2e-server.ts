// The end-to-end test's server: the pieces `skopos serve` composes (memory store, pipeline, HTTP
// transport) with the dashboard mounted in front, on node:http. The dashboard has a login; the
// read routes answer only a browser holding its session cookie (this server's stand-in for the
// real server's read rules), and the tracker's key never leaves this process. Two sites, `demo` and
// `blog`: the tracker has no default site, so a read without `?site=` covers both.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { createHttpHandler } from '@skopos/transport-http';
import { toNodeListener } from '@skopos/transport-http/node';
import { createDashboardHandler } from './handler.ts';

export interface TestServer {
  url: string;
  skopos: Skopos;
  close(): Promise<void>;
}

/** The tracker's read routes, which the dashboard's session unlocks. */
const READ_PATHS = new Set(['/_tracker', '/_tracker/stats', '/_tracker/sites', '/_tracker/ping']);

/**
 * `sites`: the stores' sites (the monitor test gives the recorded app's own, `my-app`, alone);
 * `quiet` never gets an event, so only the server's site list can name it.
 */
export async function startTestServer(
  apiKey: string,
  password: string,
  sites: readonly string[] = ['demo', 'blog', 'quiet'],
): Promise<TestServer> {
  const skopos = createSkopos({
    store: memoryStore({ websites: sites.map((trackingId) => ({ trackingId, domain: '' })) }),
    batchInterval: 50,
    // The default (5 min) coalesces error counts; the test wants them on the page at once.
    jsErrorBatchInterval: 50,
    logger: silentLogger,
  });
  const tracker = createHttpHandler({ skopos, apiKey, logger: silentLogger });
  const dashboard = createDashboardHandler({
    readEndpoint: '/_tracker',
    pingEndpoint: '/_tracker/ping',
    password,
  });
  /** A read with a valid session goes to the tracker with its key added here, on the server. */
  const gateReads = (request: Request): Request | Response => {
    if (request.method !== 'GET' || !READ_PATHS.has(new URL(request.url).pathname)) return request;
    if (!dashboard.authorize(request.headers)) {
      return Response.json({ error: 'sign in to the dashboard first' }, { status: 401 });
    }
    const headers = new Headers(request.headers);
    headers.set('x-tracker-key', apiKey);
    return new Request(request, { headers });
  };
  const server: Server = createServer(
    toNodeListener(async (request, info) => {
      const response = await dashboard(request, info);
      if (response) return response;
      const gated = gateReads(request);
      return gated instanceof Response ? gated : tracker(gated, info);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    skopos,
    async close() {
      await skopos.shutdown();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Browsers of the three test visitors: different user agents make different visitors. */
export const USER_AGENTS = {
  chrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
};

/**
 * Posts a batch to the write endpoint as a browser's tracker would, for `site` (default `demo`);
 * `headers` are added, e.g. the country header a CDN in front of the server sets (`cf-ipcountry`).
 */
export async function sendAs(
  url: string,
  apiKey: string,
  userAgent: string,
  events: readonly Record<string, unknown>[],
  site = 'demo',
  headers: Record<string, string> = {},
): Promise<number> {
  const response = await fetch(`${url}/_tracker/events?site=${encodeURIComponent(site)}`, {
    method: 'POST',
    headers: {
      'user-agent': userAgent,
      accept: '*/*',
      'accept-language': 'en-US,en;q=0.9',
      'sec-fetch-mode': 'cors',
      'sec-fetch-site': 'same-origin',
      'sec-fetch-dest': 'empty',
      'content-type': 'application/json',
      'x-tracker-key': apiKey,
      ...headers,
    },
    body: JSON.stringify({ events }),
  });
  return response.status;
}
