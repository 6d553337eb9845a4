import { silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from './protocol.ts';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { BrowserWebSocket, pageView, startWsTestServer, type WsTestServer } from './test-support.ts';
import { createWebSocketTransport } from './websocket-transport.ts';

let server: WsTestServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

/** A server whose pipeline takes no event until `open()`: a store that lags behind, as in the report (10 s). */
async function startStalled(options: Parameters<typeof startWsTestServer>[0] = {}) {
  // Floods of thousands of frames: the frame rate limit (limits.test.ts) would end them first.
  const started = await startWsTestServer({ maxFramesPerSecond: 1_000_000, ...options });
  server = started;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  // The ingest route starts its events with `trackNow`: every one of them waits for the gate.
  const trackNow = started.skopos.trackNow.bind(started.skopos);
  vi.spyOn(started.skopos, 'trackNow').mockImplementation(async (input) => {
    await gate;
    return trackNow(input);
  });
  return { server: started, open };
}

async function connect(url: string): Promise<RawClient & { answers: ServerMessage[] }> {
  const client = await openRaw(url);
  clients.push(client);
  const answers: ServerMessage[] = [];
  client.socket.on('message', (data) => answers.push(JSON.parse(String(data)) as ServerMessage));
  return Object.assign(client, { answers });
}

const batch = (id: string) => ({
  type: 'ingest',
  id,
  events: ['a', 'b', 'c'].map((p) => pageView(`/${id}/${p}`)),
});

describe('flow control', () => {
  it('pauses a client that floods without reading, holding at most maxInFlightPerConnection messages', async () => {
    const { server, open } = await startStalled();
    const flooder = await connect(server.url);
    // The client reads nothing: every answer the server writes stays in the sockets' buffers.
    flooder.socket.pause();
    const sent = 2000;
    for (let i = 0; i < sent; i++) flooder.send(batch(`f${i}`));
    await vi.waitFor(() => expect(server.ws.stats()).toMatchObject({ inFlight: 8, pausedConnections: 1 }));
    // 0.1 read all 2000 frames at once and held them, parsed, until the pipeline took them.
    expect(server.ws.stats().inFlight + server.ws.stats().refused).toBeLessThan(sent);

    open();
    flooder.socket.resume();
    await vi.waitFor(() => expect(flooder.answers).toHaveLength(sent), { timeout: 15_000 });
    const acks = flooder.answers.filter((answer) => answer.type === 'ack');
    const busy = flooder.answers.filter((answer) => answer.type === 'error' && answer.retryable);
    expect(acks.length + busy.length).toBe(sent);
    const stats = server.ws.stats();
    expect(stats.peakInFlightPerConnection).toBe(8);
    expect(stats.pauses).toBeGreaterThan(0);
    expect(stats.refused).toBe(busy.length);
    expect(stats).toMatchObject({ inFlight: 0, pausedConnections: 0 });
    expect((await server.skopos.query({ limit: 1 })).total).toBe(acks.length * 3);
  });

  it("keeps vite-plugin-monitor's frames (never re-sent) past the limits, reading no more than it had read", async () => {
    const { server, open } = await startStalled({ maxInFlight: 4 });
    const other = await connect(server.url);
    const monitor = await connect(server.url);
    // A tab with a backlog, sent at once: ~600 KB, more than the server reads in one go.
    const sent = 2000;
    const frame = (i: number) => ({
      type: 'ingest',
      events: [{ ...pageView(`/m${i}`), appId: 'site-a', pad: 'x'.repeat(200) }],
    });
    for (let i = 0; i < sent; i++) monitor.send(frame(i));
    await vi.waitFor(() => expect(server.ws.stats().pausedConnections).toBe(1));
    // What it holds is what was read before the pause, not the backlog.
    expect(server.ws.stats().inFlight).toBeLessThan(sent / 2);
    // Skopos' client on another connection is refused meanwhile (the server-wide limit), and re-sends.
    other.send(batch('o'));
    await vi.waitFor(() => expect(other.answers).toHaveLength(1));
    expect(other.answers[0]).toMatchObject({ type: 'error', id: 'o', retryable: true });
    open();
    await vi.waitFor(() => expect(monitor.answers).toHaveLength(sent), { timeout: 15_000 });
    expect(monitor.answers.every((answer) => answer.type === 'ack')).toBe(true);
    expect((await server.skopos.query({ limit: 1 })).total).toBe(sent);
    expect(server.ws.stats()).toMatchObject({ inFlight: 0, pausedConnections: 0 });
  });

  it('holds at most maxInFlight messages over every connection and resumes the paused ones', async () => {
    const { server, open } = await startStalled({ maxInFlight: 4, maxInFlightPerConnection: 3 });
    const senders = await Promise.all([connect(server.url), connect(server.url), connect(server.url)]);
    for (const [n, sender] of senders.entries()) {
      for (let i = 0; i < 3; i++) sender.send(batch(`c${n}-${i}`));
    }
    await vi.waitFor(() => expect(server.ws.stats()).toMatchObject({ inFlight: 4 }));
    await vi.waitFor(() => expect(server.ws.stats().pausedConnections).toBeGreaterThanOrEqual(2));
    open();
    for (const sender of senders) await vi.waitFor(() => expect(sender.answers).toHaveLength(3));
    const answers = senders.flatMap((sender) => sender.answers);
    const acks = answers.filter((answer) => answer.type === 'ack');
    const busy = answers.filter((answer) => answer.type === 'error' && answer.retryable);
    expect(acks.length + busy.length).toBe(9);
    expect(server.ws.stats()).toMatchObject({
      peakInFlight: 4,
      refused: busy.length,
      inFlight: 0,
      pausedConnections: 0,
    });
    // Resumed: a paused connection is read again once slots are free.
    const first = senders[0] as Awaited<ReturnType<typeof connect>>;
    first.send({ type: 'ping' });
    await vi.waitFor(() => expect(first.answers.at(-1)).toEqual({ type: 'pong' }));
  });

  it('delivers a backlog of Skopos’ client without a refusal: it keeps 4 batches in flight', async () => {
    server = await startWsTestServer();
    const client = createWebSocketTransport({
      url: server.url,
      WebSocket: BrowserWebSocket,
      batchSize: 5,
      flushInterval: 60_000,
      logger: silentLogger,
    });
    try {
      for (let i = 0; i < 300; i++) client.track(pageView(`/b${i}`));
      await client.flush();
      expect(client.stats()).toMatchObject({ saved: 300, unacked: 0 });
      expect(server.ws.stats()).toMatchObject({ refused: 0 });
      expect(server.ws.stats().peakInFlightPerConnection).toBeLessThanOrEqual(4);
    } finally {
      await client.close();
    }
  });
});
