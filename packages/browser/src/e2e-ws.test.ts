// End to end in real headless Chromium over a WebSocket: the built `skopos-ws.global.js` on a page
// in seed 002's websocket mode, sending to a real `attachWebSocketServer` on node:http over a real
// pipeline and memory store, which must then hold each event of the visit exactly once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { attachWebSocketServer, type SkoposWebSocketServer } from '@skopos/transport-ws/server';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleIife, IIFE_ENTRIES } from '../scripts/iife.ts';

const API_KEY = 'e2e-ws-key';

let skopos: Skopos;
let http: Server;
let wsServer: SkoposWebSocketServer;
let origin: string;
let context: BrowserContext;
let chromium: Chromium;
/** Upgraded sockets, to cut the connection under the tracker's feet. */
const upgraded = new Set<Socket>();

function page(wsEndpoint: string): string {
  const config = {
    appId: 'demo',
    storage: { mode: 'websocket', wsEndpoint, apiKey: API_KEY, batchSize: 25, flushInterval: 200 },
  };
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Skopos WebSocket demo</title>
    <script>window.__TRACKER_CONFIG__ = ${JSON.stringify(config)};</script>
    <script defer src="/skopos-ws.js" data-allow-localhost></script>
  </head>
  <body><h1>Demo shop</h1></body>
</html>`;
}

/** What the store holds, oldest first, as [type, path, eventName]. */
async function stored(): Promise<string[][]> {
  const { events } = await skopos.query({ limit: 1000 });
  return events.map((event) => [event.type, event.path, event.eventName]);
}

/** Polls the store until `count` events are there (acks arrive asynchronously). */
async function waitForEvents(count: number): Promise<string[][]> {
  const deadline = Date.now() + 15_000;
  let events = await stored();
  while (events.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    events = await stored();
  }
  return events;
}

beforeAll(async () => {
  skopos = createSkopos({
    store: memoryStore({ websites: [{ trackingId: 'demo' }] }),
    batch: false,
    logger: silentLogger,
  });
  const script = await bundleIife(IIFE_ENTRIES['skopos-ws.global.js']);
  http = createServer((request, response) => {
    if (request.url === '/skopos-ws.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      const wsEndpoint = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/_tracker/ws`;
      response.writeHead(200, { 'content-type': 'text/html' }).end(page(wsEndpoint));
    }
  });
  http.on('upgrade', (_request, socket: Socket) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
  });
  wsServer = attachWebSocketServer({ server: http, skopos, apiKey: API_KEY, logger: silentLogger });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  chromium = await launchChromium();
  context = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
  await wsServer?.close();
  await new Promise((resolve) => http?.close(resolve));
  await skopos?.shutdown();
});

describe('the WebSocket script tag in Chromium', () => {
  it('delivers a page view, an SPA route and custom events over the socket, once each across a reconnect', async () => {
    const tab = await context.newPage();
    await tab.goto(`${origin}/home`);
    await tab.evaluate(() => history.pushState(null, '', '/products'));
    await tab.evaluate(() => window.skopos?.track('purchase', { amount: 42 }));
    const visit = [
      ['pageView', '/home', ''],
      ['pageView', '/products', ''],
      ['custom', '/products', 'purchase'],
    ];
    expect(await waitForEvents(3)).toEqual(visit);
    // Leaving /home sent its engagement signal too: it updates the session and is not stored.
    expect(skopos.counters().signals).toBe(1);

    // The connection dies (a proxy restart, a network change): the tracker reconnects, authenticates
    // again and delivers what comes next, without re-storing what was acked.
    expect(upgraded.size).toBe(1);
    for (const socket of upgraded) socket.destroy();
    await tab.evaluate(() => window.skopos?.track('after-reconnect'));
    const events = await waitForEvents(4);
    expect(events).toEqual([...visit, ['custom', '/products', 'after-reconnect']]);
    const { events: records } = await skopos.query({ limit: 1000 });
    expect(records.find((record) => record.eventName === 'purchase')?.eventData).toEqual({ amount: 42 });
    expect((await skopos.stats({ since: 0, until: Date.now() + 1000 })).sessions).toBe(1);
    expect(upgraded.size).toBe(1); // the new connection
    await tab.close();
  });
});
