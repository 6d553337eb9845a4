// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test-socket.ts';
import { type Network, stubNetwork } from '../test-support.ts';
import { createMonitorClient } from './client.ts';
import { monitorConfig } from './test-config.ts';

let network: Network;

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  network = stubNetwork();
});

describe('how the monitor client delivers', () => {
  it("http mode speaks vite-plugin-monitor's wire: ingest JSON, X-Tracker-Key, a JSON beacon (the key in its URL)", () => {
    const client = createMonitorClient(
      // The load's page view, the session start and one event fill the first batch.
      monitorConfig({ mode: 'http', writeEndpoint: 'https://api.example.com/tracker/events', batchSize: 3 }),
    );
    client.init();
    client.track('a');
    const [request] = network.requests;
    expect(request).toMatchObject({
      via: 'fetch',
      contentType: 'application/json',
      headers: { 'x-tracker-key': 'k3y' },
    });
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ type: 'ingest', events: expect.any(Array) });
    window.dispatchEvent(new Event('beforeunload'));
    const beacon = network.requests.at(-1);
    expect(beacon).toMatchObject({ via: 'beacon', contentType: 'application/json' });
    expect(beacon?.url.href).toBe('https://api.example.com/tracker/events?key=k3y');
    expect(JSON.parse(beacon?.body ?? '{}').type).toBe('ingest');
    client.destroy();
  });

  it('re-sends a batch any non-2xx refused, and drops one refused 3 times with a 4xx no retry fixes', async () => {
    vi.useFakeTimers();
    const client = createMonitorClient(
      monitorConfig({
        mode: 'http',
        writeEndpoint: 'https://api.example.com/ingest',
        batchSize: 1,
        flushInterval: 1000,
      }),
    );
    network.respond(503);
    client.init();
    await vi.advanceTimersByTimeAsync(0);
    const first = network.requests.length;
    expect(first).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(1000);
    // Everything refused is sent again at the next flush.
    expect(network.requests.length).toBe(first * 2);
    network.respond(400);
    client.track('poison');
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1000);
    const after = network.requests.length;
    await vi.advanceTimersByTimeAsync(5000);
    // Three 400s in a row: the batches are dropped, nothing is sent again.
    expect(network.requests.length).toBe(after);
    network.respond(200);
    client.track('next');
    await vi.advanceTimersByTimeAsync(0);
    expect(
      network.requests
        .at(-1)
        ?.events.map((event) => (event as { payload?: { name?: string } }).payload?.name),
    ).toEqual(['next']);
    client.destroy();
    vi.useRealTimers();
  });

  it('websocket mode: one socket to wsEndpoint, `auth` with the key, then `ingest` frames', () => {
    const client = createMonitorClient(
      monitorConfig({
        mode: 'websocket',
        wsEndpoint: 'wss://stats.example.com/_tracker/ws',
        writeEndpoint: '',
      }),
    );
    client.init();
    const [socket, ...others] = FakeSocket.all;
    expect(others).toEqual([]);
    expect(String(socket?.url)).toBe('wss://stats.example.com/_tracker/ws');
    socket?.open();
    expect(socket?.frames[0]).toEqual({ type: 'auth', key: 'k3y' });
    const events = socket?.ingests().flatMap((frame) => frame.events ?? []) as object[];
    expect(events.some((event) => 'sessionId' in event)).toBe(true);
    expect(network.requests).toEqual([]);
    client.destroy();
    expect(socket?.closedWith).toBe(1000);
  });

  it('any other mode: HTTP batches to writeEndpoint, up to batchSize per request', () => {
    const client = createMonitorClient(
      monitorConfig({ mode: 'http', writeEndpoint: 'https://api.example.com/ingest', batchSize: 3 }),
    );
    client.init();
    client.track('a');
    client.track('b');
    expect(FakeSocket.all).toEqual([]);
    expect(network.requests.map((request) => [request.url.href, request.events.length])).toEqual([
      ['https://api.example.com/ingest', 3],
    ]);
    // Skopos' page view of the load, then the session start and the first custom event.
    expect(network.events().map((event) => event.type)).toEqual(['pageView', 'session', 'custom']);
    client.destroy();
  });
});
