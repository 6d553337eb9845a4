import { createServer } from 'node:http';
import { type AddressInfo, connect as netConnect } from 'node:net';
import { createSkopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachWebSocketServer } from './attach-server.ts';
import { CLOSE_POLICY_VIOLATION, CLOSE_TOO_BIG } from './protocol.ts';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { pageView, SITE, startWsTestServer, storedPaths, type WsTestServer } from './test-support.ts';

let server: WsTestServer | undefined;
const clients: RawClient[] = [];

async function setup(options: Parameters<typeof startWsTestServer>[0] = {}): Promise<WsTestServer> {
  server = await startWsTestServer(options);
  return server;
}

async function connect(url: string, options?: { autoPong?: boolean }): Promise<RawClient> {
  const client = await openRaw(url, options);
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

describe('ingest', () => {
  it('tracks every event of a batch with the handshake request and acks the saved count', async () => {
    const { url, skopos } = await setup();
    const client = await connect(url);
    client.send({ type: 'ingest', id: 'b1', events: [pageView('/a'), pageView('/b')] });
    expect(await client.next()).toEqual({ type: 'ack', id: 'b1', saved: 2, rejected: [], dropped: [] });
    expect(await storedPaths(skopos)).toEqual(['/a', '/b']);
    // The upgrade request's user agent reached the pipeline: a Firefox session, not a bot drop.
    const stats = await skopos.stats({ since: 0, until: Date.now() + 1000 });
    expect(stats.sessions).toBe(1);
  });

  it('stores an event once when it comes back under another batch id with the same eventId', async () => {
    const { url, skopos } = await setup();
    const client = await connect(url);
    client.send({ type: 'ingest', id: 1, events: [pageView('/e', { eventId: 'evt-1' })] });
    await client.nextOf('ack');
    client.send({ type: 'ingest', id: 2, events: [pageView('/e', { eventId: 'evt-1' })] });
    await client.nextOf('ack');
    expect(await storedPaths(skopos)).toEqual(['/e']);
  });

  it('names the index and field of each rejected event and stores the valid ones', async () => {
    const { url, skopos } = await setup();
    const client = await connect(url);
    client.send({
      type: 'ingest',
      id: 'mixed',
      events: [pageView('/ok'), { type: 'pageView', url: 'ftp://x' }, pageView('/x', { siteId: 'nope' })],
    });
    const ack = await client.nextOf('ack');
    expect(ack.saved).toBe(1);
    expect(ack.rejected.map((entry) => [entry.index, entry.issues[0]?.field])).toEqual([
      [1, 'url'],
      [2, 'siteId'],
    ]);
    expect(await storedPaths(skopos)).toEqual(['/ok']);
  });

  it('takes the site from ?site= when the server has none', async () => {
    const other = { trackingId: 'site-b', domain: 'example.org' };
    const store = memoryStore({ websites: [SITE, other] });
    const skopos = createSkopos({ store, batch: false, logger: silentLogger });
    const http = createServer();
    const ws = attachWebSocketServer({ server: http, skopos, logger: silentLogger });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const client = await connect(`ws://127.0.0.1:${port}/_tracker/ws?site=site-b`);
    client.send({ type: 'ingest', id: 'x', events: [{ type: 'pageView', url: 'https://example.org/b' }] });
    expect(await client.nextOf('ack')).toMatchObject({ saved: 1 });
    await client.close();
    await ws.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    const site = await skopos.getWebsite('site-b');
    expect((await skopos.query({ website: site?.id ?? '' })).total).toBe(1);
    await skopos.shutdown();
  });
});

describe('auth', () => {
  it('answers auth_ok to the right key and then ingests', async () => {
    const { url, skopos } = await setup({ apiKey: 'k3y' });
    const client = await connect(url);
    client.send({ type: 'auth', key: 'k3y' });
    expect(await client.next()).toEqual({ type: 'auth_ok' });
    client.send({ type: 'ingest', id: 'a', events: [pageView('/in')] });
    expect(await client.nextOf('ack')).toMatchObject({ saved: 1 });
    expect(await storedPaths(skopos)).toEqual(['/in']);
  });

  it('answers keep-alive pings before auth', async () => {
    const { url } = await setup({ apiKey: 'k3y' });
    const client = await connect(url);
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('closes with 1008 on a wrong key, and on an ingest before auth', async () => {
    const { url, skopos } = await setup({ apiKey: 'k3y' });
    const wrong = await connect(url);
    wrong.send({ type: 'auth', key: 'guess' });
    expect((await wrong.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    const early = await connect(url);
    early.send({ type: 'ingest', id: 'a', events: [pageView('/sneaky')] });
    expect(await early.closed).toMatchObject({
      code: CLOSE_POLICY_VIOLATION,
      reason: expect.stringMatching(/auth/),
    });
    expect(await storedPaths(skopos)).toEqual([]);
  });
});

describe('bad input', () => {
  it('refuses an upgrade whose request target no URL parser takes with 400, and keeps serving', async () => {
    const { url } = await setup();
    const { port } = new URL(url);
    for (const target of ['http://[', '//[']) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = netConnect(Number(port), '127.0.0.1', () => {
          socket.write(
            `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
          );
        });
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    }
    // Still up: a well-formed client is served.
    const client = await connect(url);
    client.send({ type: 'ingest', id: 'after', events: [pageView('/after')] });
    expect(await client.nextOf('ack')).toMatchObject({ id: 'after', saved: 1 });
  });

  it('answers invalid JSON and unknown messages with a reason and keeps the connection', async () => {
    const { url } = await setup();
    const client = await connect(url);
    client.send('{not json');
    expect(await client.next()).toMatchObject({ type: 'error', reason: expect.stringMatching(/JSON/) });
    client.send({ type: 'launch' });
    expect(await client.next()).toMatchObject({
      type: 'error',
      reason: expect.stringMatching(/unknown message type/),
    });
    client.send({ type: 'ingest', id: 'n', events: 'nope' });
    expect(await client.next()).toMatchObject({
      type: 'error',
      id: 'n',
      reason: expect.stringMatching(/events/),
    });
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('closes with 1009 on a frame over maxPayloadBytes and keeps serving others', async () => {
    const { url } = await setup({ maxPayloadBytes: 1024 });
    const big = await connect(url);
    big.send({ type: 'ingest', id: 'big', events: [pageView(`/${'x'.repeat(2000)}`)] });
    expect((await big.closed).code).toBe(CLOSE_TOO_BIG);
    const next = await connect(url);
    next.send({ type: 'ping' });
    expect(await next.next()).toEqual({ type: 'pong' });
  });
});

describe('query and push', () => {
  it('answers a query with the stored events, total and a cursor for the next page', async () => {
    const { url } = await setup();
    const client = await connect(url);
    client.send({ type: 'ingest', id: 'q', events: [pageView('/1'), pageView('/2'), pageView('/3')] });
    await client.nextOf('ack');
    const since = new Date(Date.now() - 60_000).toISOString();
    client.send({ type: 'query', reqId: 'r1', since, until: Date.now() + 60_000, limit: 2 });
    const page = await client.nextOf('result');
    expect(page).toMatchObject({ reqId: 'r1', total: 3 });
    expect(page.events.map((event) => event.path)).toEqual(['/1', '/2']);
    expect(typeof page.events[0]?.timestamp).toBe('string');
    client.send({ type: 'query', reqId: 'r2', since, cursor: page.nextCursor });
    expect((await client.nextOf('result')).events.map((event) => event.path)).toEqual(['/3']);
    client.send({ type: 'query', reqId: 'r3', since: 'yesterday' });
    expect(await client.next()).toMatchObject({
      type: 'error',
      reqId: 'r3',
      reason: expect.stringMatching(/since/),
    });
  });

  it('pushes accepted events to subscribers only', async () => {
    const { url } = await setup();
    const watcher = await connect(url);
    const bystander = await connect(url);
    watcher.send({ type: 'subscribe' });
    watcher.send({ type: 'ping' });
    await watcher.nextOf('pong');
    const sender = await connect(url);
    sender.send({ type: 'ingest', id: 'p', events: [pageView('/live'), { type: 'pageView', url: 'bad' }] });
    await sender.nextOf('ack');
    const push = await watcher.nextOf('push');
    expect(push.events).toEqual([
      expect.objectContaining({ appId: 'site-a', type: 'pageView', path: '/live' }),
    ]);
    bystander.send({ type: 'ping' });
    expect(await bystander.next()).toEqual({ type: 'pong' });
  });
});

describe('connections', () => {
  it('drops a peer that stops answering pings', async () => {
    const { url, ws } = await setup({ heartbeatMs: 50 });
    const dead = await connect(url, { autoPong: false });
    expect((await dead.closed).code).toBe(1006);
    await vi.waitFor(() => expect(ws.connections).toBe(0));
  });

  it('serves upgrades handed over by a framework without a server option', async () => {
    const skopos = createSkopos({
      store: memoryStore({ websites: [SITE] }),
      batch: false,
      logger: silentLogger,
    });
    const ws = attachWebSocketServer({ skopos, siteId: SITE.trackingId, logger: silentLogger });
    const http = createServer();
    http.on('upgrade', (request, socket, head) => {
      if (!ws.handleUpgrade(request, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const client = await openRaw(`ws://127.0.0.1:${port}/_tracker/ws`);
    client.send({ type: 'ingest', id: 'fw', events: [pageView('/framework')] });
    expect(await client.nextOf('ack')).toMatchObject({ saved: 1 });
    await client.close();
    await ws.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    expect(await storedPaths(skopos)).toEqual(['/framework']);
    await skopos.shutdown();
  });

  it('leaves upgrades on other paths to other handlers', async () => {
    const { url, port } = await setup();
    await expect(openRaw(`ws://127.0.0.1:${port}/elsewhere`)).rejects.toThrow();
    const client = await connect(url);
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });
});
