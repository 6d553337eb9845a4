// Issue #10's acceptance test, remote modes: the full option set (e2e-options-support.ts) on a Vite
// dev server that points the page elsewhere — `http` at a real Skopos server (`startServer`, with
// an api key), `websocket` at a real `attachWebSocketServer` — and what those servers hold after
// the app's scenario ran in headless Chromium.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSkopos, type Skopos, silentLogger, toReadEvent } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { type RunningServer, startServer } from '@skopos/server';
import { type Chromium, launchChromium } from '@skopos/test-utils';
import { attachWebSocketServer, type SkoposWebSocketServer } from '@skopos/transport-ws/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDelivered } from './e2e-options-expect.ts';
import {
  APP_ID,
  type ModeServer,
  readEndpoint,
  runScenario,
  startMode,
  VIEWPORT,
} from './e2e-options-support.ts';
import { readInjectedConfig } from './test-support.ts';

const API_KEY = 'remote-key-123';
// The pages hold the write key; reads need their own (and the server does not warn that they do not).
const READ_KEY = 'remote-read-key';
// A browser on a busy shared machine can take a while; a hang guard, not a timing assertion.
const E2E_TIMEOUT_MS = 60_000;

let chromium: Chromium;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  chromium = await launchChromium({ viewport: VIEWPORT });
});

afterAll(async () => {
  await chromium?.close();
  // Vite first, then the servers it pointed the page to.
  for (const close of closers.reverse()) await close();
});

describe('the full option set in Chromium, remote modes', () => {
  it(
    'http (track.level debug): the events reach a Skopos server with the api key and read back from its read endpoint',
    async () => {
      const skopos: RunningServer = await startServer({
        port: 0,
        host: '127.0.0.1',
        apiKey: API_KEY,
        readKey: READ_KEY,
        sites: [{ trackingId: APP_ID }],
        batchInterval: 50,
        logLevel: 'warn',
        dashboard: false,
      });
      closers.push(() => skopos.close());
      const { write, read, ping } = skopos.endpoints;
      const vite: ModeServer = await startMode({
        storage: {
          mode: 'http',
          writeEndpoint: write,
          readEndpoint: read,
          pingEndpoint: ping,
          apiKey: API_KEY,
        },
        level: 'debug',
        autoInit: true,
      });
      closers.push(() => vite.close());
      expect(readInjectedConfig(await (await fetch(`${vite.url}/`)).text())).toMatchObject({
        mode: 'http',
        writeEndpoint: write,
        readEndpoint: read,
        pingEndpoint: ping,
        apiKey: API_KEY,
      });
      const run = await runScenario(chromium, vite.url);
      await expectDelivered(readEndpoint(read, { 'x-tracker-key': READ_KEY }), 'debug', run, vite.url);
      await run.page.close();
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'websocket (track.level warn): only warn and error events of the trackers, and every session and custom event, reach the store of the WebSocket server',
    async () => {
      const skopos: Skopos = createSkopos({
        store: memoryStore({ websites: [{ trackingId: APP_ID }] }),
        batch: false,
        logger: silentLogger,
      });
      const http: Server = createServer((_request, response) => response.writeHead(404).end());
      const ws: SkoposWebSocketServer = attachWebSocketServer({
        server: http,
        skopos,
        apiKey: API_KEY,
        logger: silentLogger,
      });
      await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
      closers.push(async () => {
        await ws.close();
        await new Promise((resolve) => http.close(resolve));
        await skopos.shutdown();
      });
      const wsEndpoint = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/_tracker/ws`;
      const vite: ModeServer = await startMode({
        storage: { mode: 'websocket', wsEndpoint, apiKey: API_KEY },
        level: 'warn',
        autoInit: true,
      });
      closers.push(() => vite.close());
      const run = await runScenario(chromium, vite.url);
      const stored = async () =>
        (await skopos.query({ limit: 1000 })).events.map((event) => toReadEvent(event, APP_ID));
      await expectDelivered(stored, 'warn', run, vite.url);
      // `warn` drops the navigation events, so the client counts Skopos' page views itself.
      expect((await stored()).filter((event) => event.type === 'pageView').length).toBeGreaterThan(0);
      await run.page.close();
    },
    E2E_TIMEOUT_MS,
  );
});
