import type { AddressInfo } from 'node:net';
import { isSkoposError, type SkoposError, silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { WebSocketLike, WebSocketTransportOptions } from './client-options.ts';
import type { WebSocketTransport } from './client-types.ts';
import type { LiveEvent } from './protocol.ts';
import {
  BROWSER_HEADERS,
  BrowserWebSocket,
  pageView,
  startWsTestServer,
  storedPaths,
  type WsTestServer,
} from './test-support.ts';
import { createWebSocketTransport } from './websocket-transport.ts';

let server: WsTestServer | undefined;
const transports: WebSocketTransport[] = [];

function transport(options: Partial<WebSocketTransportOptions> & { url: string }): WebSocketTransport {
  const created = createWebSocketTransport({
    WebSocket: BrowserWebSocket,
    flushInterval: 60_000,
    reconnectDelayMs: 10,
    maxReconnectDelayMs: 50,
    closeTimeoutMs: 500,
    logger: silentLogger,
    ...options,
  });
  transports.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((created) => created.close()));
  await server?.close();
  server = undefined;
});

const paths = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `/p${from + i}`);

describe('createWebSocketTransport', () => {
  it('refuses a url that is not ws:// or wss:// when created', () => {
    let error: unknown;
    try {
      createWebSocketTransport({ url: 'https://api.example.com/ws', WebSocket: BrowserWebSocket });
    } catch (caught) {
      error = caught;
    }
    expect(isSkoposError(error) && error.code).toBe('invalid_options');
    expect((error as Error).message).toMatch(/ws:\/\/ or wss:\/\//);
  });

  it('delivers batches in order and counts what the server saved', async () => {
    server = await startWsTestServer();
    const client = transport({ url: server.url, batchSize: 5 });
    for (const path of paths(0, 23)) client.track(pageView(path));
    await client.flush();
    expect(await storedPaths(server.skopos)).toEqual(paths(0, 23));
    expect(client.stats()).toMatchObject({ saved: 23, queued: 0, unacked: 0, dropped: 0, connected: true });
  });

  it('implements Transport.send: resolves with the saved count once acknowledged', async () => {
    server = await startWsTestServer();
    const client = transport({ url: server.url });
    expect(await client.send([pageView('/s1'), pageView('/s2')])).toEqual({ ok: true, saved: 2 });
    expect(await storedPaths(server.skopos)).toEqual(['/s1', '/s2']);
  });

  it('authenticates with apiKey before sending', async () => {
    server = await startWsTestServer({ apiKey: 'k3y' });
    const client = transport({ url: server.url, apiKey: 'k3y' });
    client.track(pageView('/authed'));
    await client.flush();
    expect(await storedPaths(server.skopos)).toEqual(['/authed']);
  });

  it('stops for good on a refused key (1008) and reports it', async () => {
    server = await startWsTestServer({ apiKey: 'k3y' });
    const errors: SkoposError[] = [];
    const client = transport({ url: server.url, apiKey: 'wrong', onError: (error) => errors.push(error) });
    client.track(pageView('/never'));
    await expect(client.flush()).rejects.toMatchObject({ code: 'auth_failed' });
    expect(errors).toHaveLength(1);
    expect(client.error?.message).toMatch(/apiKey/);
    // Well past several reconnect delays: no new connection was tried.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(client.stats().reconnects).toBe(0);
    expect(server.ws.connections).toBe(0);
    expect(await storedPaths(server.skopos)).toEqual([]);
  });

  it('keeps events through a server outage and delivers each once after a restart on the same port', async () => {
    server = await startWsTestServer();
    const client = transport({ url: server.url, batchSize: 4 });
    for (const path of paths(0, 6)) client.track(pageView(path));
    await client.flush();
    await server.stop();
    for (const path of paths(6, 17)) client.track(pageView(path));
    const delivered = client.flush();
    await server.restart();
    await delivered;
    expect(await storedPaths(server.skopos)).toEqual(paths(0, 17));
    expect(client.stats().reconnects).toBeGreaterThan(0);
  });

  it('re-sends a batch whose ack was lost and the server stores it once', async () => {
    server = await startWsTestServer();
    let dropAck = true;
    // Cuts the first connection right after the server acked, as a network failure would.
    class LossyWebSocket implements WebSocketLike {
      readonly inner: WebSocket;
      onopen: ((event: never) => void) | null = null;
      onmessage: ((event: never) => void) | null = null;
      onclose: ((event: never) => void) | null = null;
      onerror: ((event: never) => void) | null = null;
      constructor(url: string) {
        this.inner = new WebSocket(url, { headers: BROWSER_HEADERS });
        this.inner.onopen = () => this.onopen?.(undefined as never);
        this.inner.onerror = () => this.onerror?.(undefined as never);
        this.inner.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason } as never);
        this.inner.onmessage = (event) => {
          if (dropAck && String(event.data).includes('"ack"')) {
            dropAck = false;
            this.inner.terminate();
            return;
          }
          this.onmessage?.({ data: event.data } as never);
        };
      }
      get readyState(): number {
        return this.inner.readyState;
      }
      send(data: string): void {
        this.inner.send(data);
      }
      close(code?: number, reason?: string): void {
        this.inner.close(code, reason);
      }
    }
    const client = transport({ url: server.url, WebSocket: LossyWebSocket });
    client.track(pageView('/once'));
    client.track(pageView('/twice'));
    await client.flush();
    expect(dropAck).toBe(false);
    expect(await storedPaths(server.skopos)).toEqual(['/once', '/twice']);
    expect(client.stats().reconnects).toBe(1);
  });

  it('reconnects when the server stops answering keep-alive pings', async () => {
    const silent = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => silent.once('listening', () => resolve()));
    const port = (silent.address() as AddressInfo).port;
    try {
      const client = transport({ url: `ws://127.0.0.1:${port}/_tracker/ws`, keepAliveMs: 20 });
      await expect.poll(() => client.stats().reconnects, { timeout: 10_000 }).toBeGreaterThan(0);
    } finally {
      for (const peer of silent.clients) peer.terminate();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('bounds the queue, dropping the oldest events and counting them', async () => {
    server = await startWsTestServer();
    await server.stop();
    const client = transport({ url: server.url, maxQueue: 3 });
    for (const path of paths(0, 5)) client.track(pageView(path));
    expect(client.stats()).toMatchObject({ queued: 3, dropped: 2 });
    await server.restart();
    await client.flush();
    expect(await storedPaths(server.skopos)).toEqual(paths(2, 5));
  });

  it('sends what is queued on close()', async () => {
    server = await startWsTestServer();
    const client = transport({ url: server.url });
    client.track(pageView('/last'));
    await client.close();
    expect(await storedPaths(server.skopos)).toEqual(['/last']);
    client.track(pageView('/after'));
    expect(client.stats().dropped).toBe(1);
  });

  it('queries stored events and receives pushes of new ones', async () => {
    server = await startWsTestServer();
    const watcher = transport({ url: server.url });
    const pushed: LiveEvent[] = [];
    const unsubscribe = watcher.subscribe((events) => pushed.push(...events));
    await watcher.query(0, Date.now() + 1000);
    const sender = transport({ url: server.url });
    sender.track(pageView('/q1'));
    sender.track(pageView('/q2'));
    await sender.flush();
    const result = await watcher.query(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000), {
      limit: 1,
    });
    expect(result.total).toBe(2);
    expect(result.events.map((event) => event.path)).toEqual(['/q1']);
    expect(result.nextCursor).toEqual(expect.any(String));
    await expect.poll(() => pushed.map((event) => event.path), { timeout: 10_000 }).toEqual(['/q1', '/q2']);
    unsubscribe();
  });
});
