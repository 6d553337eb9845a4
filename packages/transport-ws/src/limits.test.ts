import { silentLogger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { CLOSE_POLICY_VIOLATION, CLOSE_TRY_AGAIN_LATER } from './protocol.ts';
import { testLimits } from './test-limits.ts';
import type { RawClient } from './test-raw-client.ts';
import { useSockets } from './test-sockets.ts';
import {
  BROWSER_HEADERS,
  BrowserWebSocket,
  pageView,
  startWsTestServer,
  storedPaths,
} from './test-support.ts';
import { createWebSocketTransport } from './websocket-transport.ts';

const sockets = useSockets();
const connect = (url: string) => sockets.open(url);

/** A tool's upgrade (no page Origin), with a key in `X-Tracker-Key`. */
async function toolWithKey(url: string, key: string): Promise<RawClient> {
  const { origin: _page, ...tool } = BROWSER_HEADERS;
  return sockets.open(url, { headers: { ...tool, 'x-tracker-key': key } });
}

const batch = (id: string) => ({ type: 'ingest', id, events: [pageView(`/${id}/1`), pageView(`/${id}/2`)] });

describe('the write limit on ingest frames', () => {
  it('refuses a frame over the limit whole, retryable after retryAfter; a frame counts once whatever it holds', async () => {
    const limit = testLimits({ writes: 2, retryAfter: 7 });
    const server = sockets.serve(await startWsTestServer({ limits: limit.limits }));
    const client = await connect(server.url);
    client.send(batch('a'));
    expect(await client.next()).toMatchObject({ type: 'ack', id: 'a', saved: 2 });
    client.send(batch('b'));
    expect(await client.next()).toMatchObject({ type: 'ack', id: 'b', saved: 2 });
    client.send(batch('c'));
    expect(await client.next()).toEqual({
      type: 'error',
      id: 'c',
      reason: 'too many writes from this address: retry in 7 s',
      message: 'too many writes from this address: retry in 7 s',
      retryable: true,
      retryAfter: 7,
    });
    expect(await storedPaths(server.skopos)).toEqual(['/a/1', '/a/2', '/b/1', '/b/2']);
    // Once the window ends, the batch re-sent is stored, once.
    limit.reset();
    client.send(batch('c'));
    expect(await client.next()).toMatchObject({ type: 'ack', id: 'c', saved: 2 });
    expect((await storedPaths(server.skopos)).length).toBe(6);
    // Reads, pings and auth are not writes.
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it("Skopos' client keeps refused batches, re-sends them after retryAfter, and every event is stored once", async () => {
    // One batch goes through, the next 3 are refused for 0.3 s: then the window is over.
    const limit = testLimits({ writes: 1, refusals: 3, retryAfter: 0.3 });
    const server = sockets.serve(await startWsTestServer({ limits: limit.limits }));
    const client = createWebSocketTransport({
      url: server.url,
      WebSocket: BrowserWebSocket,
      batchSize: 5,
      flushInterval: 60_000,
      reconnectDelayMs: 10,
      logger: silentLogger,
    });
    try {
      for (let i = 0; i < 20; i++) client.track(pageView(`/e${i}`));
      await client.flush();
      expect(client.stats()).toMatchObject({ saved: 20, unacked: 0, dropped: 0 });
      const paths = await storedPaths(server.skopos);
      expect(paths).toHaveLength(20);
      expect(new Set(paths).size).toBe(20);
      // The re-send waited for the server's retryAfter, not only the client's own 10 ms backoff.
      const [firstRefused, , , resent] = limit.writesAsked.slice(1);
      expect((resent as number) - (firstRefused as number)).toBeGreaterThanOrEqual(300);
    } finally {
      await client.close();
    }
  });
});

describe("the write limit and vite-plugin-monitor's client (no batch id, never re-sends)", () => {
  it('takes every frame over the limit and reads the connection slower instead: nothing is lost', async () => {
    // One frame goes through, the next 3 are over the limit for 0.3 s each: then the window is over.
    const limit = testLimits({ writes: 1, refusals: 3, retryAfter: 0.3 });
    const server = sockets.serve(await startWsTestServer({ limits: limit.limits }));
    const client = await connect(server.url);
    const frames = 5;
    // Its client sends as events come, one frame after another.
    for (let i = 0; i < frames; i++) {
      client.send({ type: 'ingest', events: [{ ...pageView(`/m${i}`), appId: 'site-a' }] });
      expect(await client.next()).toMatchObject({ type: 'ack', saved: 1 });
    }
    expect((await storedPaths(server.skopos)).sort()).toEqual(['/m0', '/m1', '/m2', '/m3', '/m4']);
    // Each frame over the limit held the socket for its retryAfter before the next was read.
    const asked = limit.writesAsked;
    for (let i = 2; i < frames; i++) {
      expect((asked[i] as number) - (asked[i - 1] as number), `frame ${i}`).toBeGreaterThanOrEqual(290);
    }
    // Reads, pings and auth are not writes, and the connection still answers them.
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });
});

describe('wrong keys', () => {
  it('count per client: past the limit auth gets an error and close 1013 with retryAfter, the right key too', async () => {
    const limit = testLimits({ keyFailures: 2, retryAfter: 30 });
    const server = sockets.serve(await startWsTestServer({ apiKey: 'w-key', limits: limit.limits }));
    for (let i = 0; i < 2; i++) {
      const guesser = await connect(server.url);
      guesser.send({ type: 'auth', key: `guess-${i}` });
      expect(await guesser.next()).toMatchObject({ type: 'error', reason: 'invalid API key' });
      expect((await guesser.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    }
    const heldBack = await connect(server.url);
    heldBack.send({ type: 'auth', key: 'w-key' });
    expect(await heldBack.next()).toMatchObject({
      type: 'error',
      reason: 'too many wrong keys from this address: retry in 30 s',
      retryable: true,
      retryAfter: 30,
    });
    expect(await heldBack.closed).toEqual({
      code: CLOSE_TRY_AGAIN_LATER,
      reason: 'too many wrong keys from this address: retry in 30 s',
    });
    limit.reset();
    const writer = await connect(server.url);
    writer.send({ type: 'auth', key: 'w-key' });
    expect(await writer.next()).toEqual({ type: 'auth_ok' });
  });

  it('counts a tool’s wrong key in the upgrade headers, and holds back its upgrades with a key', async () => {
    const limit = testLimits({ keyFailures: 1, retryAfter: 30 });
    const server = sockets.serve(await startWsTestServer({ readKey: 'r-key', limits: limit.limits }));
    const wrong = await toolWithKey(server.url, 'nope');
    wrong.send({ type: 'query', reqId: 'q' });
    expect(await wrong.next()).toMatchObject({ type: 'error', reqId: 'q' });
    const right = await toolWithKey(server.url, 'r-key');
    expect(await right.next()).toMatchObject({ type: 'error', retryAfter: 30 });
    expect((await right.closed).code).toBe(CLOSE_TRY_AGAIN_LATER);
  });

  it('a right key or a key-less client costs nothing', async () => {
    const limit = testLimits({ keyFailures: 1 });
    const server = sockets.serve(
      await startWsTestServer({ apiKey: 'w-key', limits: limit.limits, authTimeoutMs: 1_000 }),
    );
    for (let i = 0; i < 5; i++) {
      const writer = await connect(server.url);
      writer.send({ type: 'auth', key: 'w-key' });
      expect(await writer.next()).toEqual({ type: 'auth_ok' });
      await writer.close();
    }
    // A client that sends no key is timed out, not counted as a guess.
    const late = await connect(server.url);
    expect((await late.closed).code).toBe(CLOSE_POLICY_VIOLATION);
    const writer = await connect(server.url);
    writer.send({ type: 'auth', key: 'w-key' });
    expect(await writer.next()).toEqual({ type: 'auth_ok' });
  });
});

describe('connection hygiene', () => {
  it('closes a connection sending more than maxFramesPerSecond frames with an error and 1013', async () => {
    const server = sockets.serve(await startWsTestServer({ maxFramesPerSecond: 5 }));
    const client = await connect(server.url);
    for (let i = 0; i < 20; i++) client.send({ type: 'ping' });
    const reason = 'too many messages: at most 5 a second';
    expect(await client.nextOf('error')).toMatchObject({ reason, retryable: true, retryAfter: 1 });
    expect(await client.closed).toEqual({ code: CLOSE_TRY_AGAIN_LATER, reason });
    // A polite client is not affected.
    const polite = await connect(server.url);
    polite.send({ type: 'ping' });
    expect(await polite.next()).toEqual({ type: 'pong' });
  });
});
