// websocket mode end to end: a real Vite dev server injects the monitor client's WebSocket build,
// headless Chromium loads the page, and the events travel over one socket to a real
// `attachWebSocketServer` on node:http over a real pipeline and memory store.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { attachWebSocketServer, type SkoposWebSocketServer } from '@skopos/transport-ws/server';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trackerPlugin } from './plugin.ts';
import { startVite, tempProject } from './test-support.ts';

const API_KEY = 'vite-ws-key';
// A browser on a busy shared machine can take a while; a hang guard, not a timing assertion.
const E2E_TIMEOUT_MS = 60_000;

const project = tempProject();
let skopos: Skopos;
let http: Server;
let wsServer: SkoposWebSocketServer;
let wsEndpoint: string;
let upgrades = 0;
let vite: { server: ViteDevServer; url: string };
let chromium: Chromium;

/** What the store holds, oldest first, as [type, path, eventName]. */
async function stored(): Promise<Array<[string, string, string]>> {
  const { events } = await skopos.query({ limit: 1000 });
  return events.map((event) => [event.type, event.path, event.eventName]);
}

/** Polls the store until `count` events are there (acks arrive asynchronously). */
async function waitForEvents(count: number): Promise<Array<[string, string, string]>> {
  for (let attempt = 0; ; attempt++) {
    const events = await stored();
    if (events.length >= count || attempt >= 300) return events;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  skopos = createSkopos({
    store: memoryStore({ websites: [{ trackingId: 'demo' }] }),
    batch: false,
    logger: silentLogger,
  });
  http = createServer((_request, response) => response.writeHead(404).end());
  http.on('upgrade', () => upgrades++);
  wsServer = attachWebSocketServer({ server: http, skopos, apiKey: API_KEY, logger: silentLogger });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  wsEndpoint = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/_tracker/ws`;
  vite = await startVite(
    project.root,
    trackerPlugin({
      appId: 'demo',
      storage: { mode: 'websocket', wsEndpoint, apiKey: API_KEY, flushInterval: 200 },
    }),
  );
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.close();
  await vite?.server.close();
  await wsServer?.close();
  await new Promise((resolve) => http?.close(resolve));
  await skopos?.shutdown();
  project.cleanup();
});

describe('websocket mode in Chromium', () => {
  it(
    'the session start, the page view and a custom event travel over one socket to wsEndpoint and are stored once',
    async () => {
      const tab = await chromium.context.newPage();
      const sockets: string[] = [];
      const posts: string[] = [];
      tab.on('websocket', (socket) => sockets.push(socket.url()));
      tab.on('request', (request) => {
        if (request.method() === 'POST') posts.push(request.url());
      });
      await tab.goto(`${vite.url}/`, { waitUntil: 'domcontentloaded' });
      await tab.waitForFunction(() => '__tracker_instance__' in window);
      // The session start, and a page view (navigation tracking is off, so the client sends Skopos' own).
      expect((await waitForEvents(2)).sort()).toEqual([
        ['pageView', '/', ''],
        ['session', '/', ''],
      ]);

      await tab.evaluate(() =>
        (
          window as unknown as { __tracker_instance__: { track(name: string): void } }
        ).__tracker_instance__.track('signup'),
      );
      expect((await waitForEvents(3)).sort()).toEqual([
        ['custom', '/', 'signup'],
        ['pageView', '/', ''],
        ['session', '/', ''],
      ]);
      // One persistent socket to the configured endpoint (the other sockets are Vite's HMR client),
      // and nothing sent over HTTP.
      expect(sockets.filter((url) => url === wsEndpoint)).toHaveLength(1);
      expect(upgrades).toBe(1);
      expect(posts).toEqual([]);
      await tab.close();
    },
    E2E_TIMEOUT_MS,
  );
});
