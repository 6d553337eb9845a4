// End to end in real headless Chromium over a WebSocket: the built `skopos-ws.global.js` on a page
// in seed 002's websocket mode, sending to a real `attachWebSocketServer` on node:http over a real
// pipeline and memory store, which must then hold each event of the visit exactly once. Then the
// same page against a server written for vite-plugin-monitor's protocol (acks without ids) on `ws`.
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo, Socket } from 'node:net';
import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { attachWebSocketServer, type SkoposWebSocketServer } from '@skopos/transport-ws/server';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleIife, IIFE_ENTRIES } from '../scripts/iife.ts';
import { until } from './e2e-wait.ts';

const API_KEY = 'e2e-ws-key';

let skopos: Skopos;
let http: Server;
let wsServer: SkoposWebSocketServer;
let origin: string;
let context: BrowserContext;
let chromium: Chromium;
/** Upgraded sockets, to cut the connection under the tracker's feet. */
const upgraded = new Set<Socket>();

/** The parts of `ws` the vite-plugin-monitor-protocol server below uses. */
interface PeerSocket {
  send(data: string): void;
  close(code: number, reason: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
}
interface PeerServer {
  clients: Set<PeerSocket>;
  on(event: 'connection', listener: (socket: PeerSocket) => void): void;
  once(event: 'listening', listener: () => void): void;
  address(): AddressInfo;
  close(done: () => void): void;
}
/** `ws`, the WebSocket server a Node backend runs (here the copy @skopos/transport-ws depends on). */
const { WebSocketServer } = createRequire(createRequire(import.meta.url).resolve('@skopos/transport-ws'))(
  'ws',
) as { WebSocketServer: new (options: { host: string; port: number; path: string }) => PeerServer };
let peer: PeerServer;
/** What the vite-plugin-monitor-protocol server stored, in order, and how many acks it sent. */
const peerStored: { type: string; name?: string }[] = [];
let peerAcks = 0;

/**
 * A server written for vite-plugin-monitor's protocol, as its own standalone server (1.7) answers:
 * `auth` → `auth_ok` (a wrong key: an error and close 1008), each non-empty `ingest` stored and
 * answered `{ type: 'ack', saved }`, without an id: its clients send none.
 */
async function startPeerServer(): Promise<PeerServer> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/_tracker/ws' });
  server.on('connection', (socket) => {
    let authenticated = false;
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString());
      if (!authenticated) {
        if (message.type === 'auth' && message.key === API_KEY) {
          authenticated = true;
          socket.send(JSON.stringify({ type: 'auth_ok' }));
        } else {
          socket.send(JSON.stringify({ type: 'error', message: 'Unauthorized' }));
          socket.close(1008, 'Unauthorized');
        }
      } else if (message.type === 'ingest' && message.events?.length) {
        peerStored.push(...message.events);
        peerAcks++;
        socket.send(JSON.stringify({ type: 'ack', saved: message.events.length }));
      }
    });
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return server;
}

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
  peer = await startPeerServer();
  http = createServer((request, response) => {
    if (request.url === '/skopos-ws.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (request.url === '/peer') {
      const wsEndpoint = `ws://127.0.0.1:${peer.address().port}/_tracker/ws`;
      response.writeHead(200, { 'content-type': 'text/html' }).end(page(wsEndpoint));
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
  await new Promise<void>((resolve) => peer?.close(resolve));
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

  it("delivers more than 500 events to a server speaking vite-plugin-monitor's protocol (acks without ids), once each across a reconnect", async () => {
    const tab = await context.newPage();
    // Acks that reached the page: once all have, it holds nothing the server has not answered.
    let acksReceived = 0;
    tab.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (JSON.parse(String(payload)).type === 'ack') acksReceived++;
      }),
    );
    await tab.goto(`${origin}/peer`);
    const custom = () => peerStored.filter((event) => event.type === 'custom').map((event) => event.name);
    const track = (from: number, count: number) =>
      tab.evaluate(
        ({ from, count }) => {
          for (let i = from; i < from + count; i++) window.skopos?.track(`e${i}`);
        },
        { from, count },
      );
    const answered = () => acksReceived === peerAcks;
    // 200 events at a time, each lot answered before the next: 600 in all, more than the 500 held.
    await track(0, 200);
    await until(() => custom().length >= 200 && answered());
    await track(200, 200);
    await until(() => custom().length >= 400 && answered());
    // The connection dies: the lot tracked meanwhile reaches the server after the reconnect, and
    // the batches answered on the first connection are not sent again.
    expect(peer.clients.size).toBe(1);
    for (const socket of peer.clients) socket.terminate();
    await track(400, 200);
    await until(() => custom().length >= 600);
    // A last event: once it is stored, anything the page still re-sent would be there before it.
    await track(600, 1);
    await until(() => custom().includes('e600'));
    expect(custom()).toEqual(Array.from({ length: 601 }, (_, i) => `e${i}`));
    expect(peerStored.filter((event) => event.type === 'pageView')).toHaveLength(1);
    expect(peer.clients.size).toBe(1); // the new connection
    await tab.close();
  }, 40_000);
});
