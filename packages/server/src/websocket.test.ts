import { silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from './options.ts';
import { startServer } from './start-server.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let server: RunningServer | undefined;
let socket: WebSocket | undefined;

afterEach(async () => {
  socket?.terminate();
  socket = undefined;
  await server?.close();
  server = undefined;
});

/** Opens a socket and queues what it receives, so that no answer is missed between two awaits. */
async function open(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; next: () => Promise<Record<string, unknown>> }> {
  // A browser's upgrade request: a bare client without a user agent is scored as a bot.
  const ws = new WebSocket(url, {
    headers: { ...BROWSER_HEADERS, origin: 'http://localhost:5173', ...headers },
  });
  const received: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else received.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (): Promise<Record<string, unknown>> => {
    const message = received.shift();
    return message ? Promise.resolve(message) : new Promise((resolve) => waiting.push(resolve));
  };
  return { ws, next };
}

describe('skopos serve: the WebSocket endpoint', () => {
  it('serves vite-plugin-monitor’s websocket mode at /_tracker/ws, its appId creating the site', async () => {
    // Its dashboard reads from the app's dev origin: listed, as `--cors-origin` would (reads are same-origin otherwise).
    server = await startServer({
      port: 0,
      logger: silentLogger,
      cors: { origins: ['http://localhost:5173'] },
    });
    expect(server.endpoints.websocket).toBe(`${server.url.replace('http', 'ws')}/_tracker/ws`);
    const client = await open(server.endpoints.websocket);
    socket = client.ws;
    const event = {
      timestamp: new Date(Date.now() - 1000).toISOString(),
      level: 'info',
      type: 'navigation',
      appId: 'ws-app',
      sessionId: 'sess_ws',
      userId: 'anon_ws',
      payload: { from: '/', to: '/docs', trigger: 'pushState' },
      meta: { userAgent: 'Mozilla/5.0', route: '/docs', viewport: '1280x720', language: 'en' },
    };
    client.ws.send(JSON.stringify({ type: 'ingest', events: [event] }));
    expect(await client.next()).toMatchObject({ type: 'ack', saved: 1 });
    expect(await server.skopos.getWebsite('ws-app')).not.toBeNull();
    await server.skopos.flush();
    client.ws.send(JSON.stringify({ type: 'events:query', reqId: 'r1', query: { since: event.timestamp } }));
    const answer = await client.next();
    expect(answer).toMatchObject({ type: 'events:response', reqId: 'r1', response: { total: 1 } });
  });

  it('trustProxy: a client forwarded by a trusted proxy is its own visitor over WebSocket too', async () => {
    server = await startServer({ port: 0, logger: silentLogger, trustProxy: 'loopback' });
    for (const ip of ['198.51.100.1', '198.51.100.2']) {
      const client = await open(server.endpoints.websocket, { 'x-forwarded-for': ip });
      client.ws.send(
        JSON.stringify({
          type: 'ingest',
          events: [{ type: 'pageView', url: 'https://example.com/', siteId: 'ws-xff' }],
        }),
      );
      expect(await client.next()).toMatchObject({ type: 'ack' });
      client.ws.terminate();
    }
    await server.skopos.flush();
    const stats = await server.skopos.stats({ since: 0, until: Date.now() + 1000 });
    expect(stats.visitors).toBe(2);
  });

  it('refuses reads from pages it does not serve unless --cors-origin lists them; writes stay open', async () => {
    server = await startServer({ port: 0, logger: silentLogger });
    const client = await open(server.endpoints.websocket, { origin: 'https://evil.test' });
    socket = client.ws;
    client.ws.send(JSON.stringify({ type: 'events:query', reqId: 'r1', query: {} }));
    expect(await client.next()).toMatchObject({ type: 'error', reqId: 'r1' });
  });
});

/** Resolves with the close code and reason of a socket (listen before the close can happen). */
function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
}

describe('skopos serve: one budget per client over HTTP and WebSocket', () => {
  it('counts an ingest frame as one write against the HTTP rate limit, per forwarded client', async () => {
    server = await startServer({
      port: 0,
      logger: silentLogger,
      trustProxy: 'loopback',
      rateLimit: { windowMs: 60_000, max: 3 },
    });
    const visitor = { 'x-forwarded-for': '198.51.100.1' };
    const postFrom = (headers: Record<string, string>) =>
      fetch(server?.endpoints.write as string, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, ...headers },
        body: batchOf(['/http'], 'budget'),
      });
    expect((await postFrom(visitor)).status).toBe(200);
    const client = await open(server.endpoints.websocket, visitor);
    socket = client.ws;
    const events = (path: string) =>
      [1, 2].map((n) => ({ type: 'pageView', url: `https://example.com${path}/${n}`, siteId: 'budget' }));
    for (const id of ['w1', 'w2']) {
      client.ws.send(JSON.stringify({ type: 'ingest', id, events: events(`/${id}`) }));
      expect(await client.next()).toMatchObject({ type: 'ack', id, saved: 2 });
    }
    client.ws.send(JSON.stringify({ type: 'ingest', id: 'w3', events: events('/w3') }));
    const refused = await client.next();
    expect(refused).toMatchObject({ type: 'error', id: 'w3', retryable: true });
    expect(refused.retryAfter).toBeGreaterThan(0);
    expect(refused.reason).toBe(`too many writes from this address: retry in ${refused.retryAfter} s`);
    // The HTTP route sees the same budget spent; another client behind the proxy has its own.
    expect((await postFrom(visitor)).status).toBe(429);
    expect((await postFrom({ 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    await server.skopos.flush();
    const stored = await server.skopos.query({ limit: 100 });
    expect(stored.events.map((event) => event.path).sort()).toEqual(
      ['/http', '/http', '/w1/1', '/w1/2', '/w2/1', '/w2/2'].sort(),
    );
  });

  it('counts wrong keys over HTTP reads and WebSocket auth together, 10 a minute, then holds the client back', async () => {
    server = await startServer({ port: 0, logger: silentLogger, readKey: 'r-key', dashboard: false });
    const read = (key: string) =>
      fetch(server?.endpoints.read as string, { headers: { 'x-tracker-key': key } });
    for (let i = 0; i < 9; i++) expect((await read(`guess-${i}`)).status).toBe(401);
    // With a read key alone, a WebSocket key that opens nothing is refused as with a write key.
    const guesser = await open(server.endpoints.websocket);
    const guessClosed = closed(guesser.ws);
    guesser.ws.send(JSON.stringify({ type: 'auth', key: 'guess-9' }));
    expect(await guesser.next()).toMatchObject({ type: 'error', reason: 'invalid API key' });
    expect((await guessClosed).code).toBe(1008);
    // The 11th key check is held back, the right key included, on both ways in.
    const reader = await open(server.endpoints.websocket);
    const readerClosed = closed(reader.ws);
    reader.ws.send(JSON.stringify({ type: 'auth', key: 'r-key' }));
    expect(await reader.next()).toMatchObject({ type: 'error', retryable: true });
    expect((await readerClosed).code).toBe(1013);
    const held = await read('r-key');
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
