// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../test-socket.ts';
import { type Network, type SentRequest, stubNetwork } from '../test-support.ts';
import { createMonitorClient } from './client.ts';
import { monitorConfig } from './test-config.ts';

let network: Network;

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  network = stubNetwork();
});
afterEach(() => {
  vi.useRealTimers();
});

/** An http-mode client flushing every second on fake timers (the retry rules are about flushes). */
function timedHttpClient(batchSize: number) {
  vi.useFakeTimers();
  return createMonitorClient(
    monitorConfig({
      mode: 'http',
      writeEndpoint: 'https://api.example.com/ingest',
      batchSize,
      flushInterval: 1000,
    }),
  );
}

describe('how the monitor client delivers', () => {
  it("http mode speaks vite-plugin-monitor's wire: ingest JSON, X-Tracker-Key, a JSON beacon (the key in its URL)", () => {
    const client = createMonitorClient(
      // The session start and two events fill the first batch (the page view leaves in its own).
      monitorConfig({ mode: 'http', writeEndpoint: 'https://api.example.com/tracker/events', batchSize: 3 }),
    );
    client.init();
    client.track('a');
    client.track('b');
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

  it('re-sends each refused batch whole; drops one only after 3 lasting 4xx of its own, whatever the others got', async () => {
    const client = timedHttpClient(1);
    const names = (request: SentRequest) =>
      request.events.map((event) => (event as { payload?: { name?: string } }).payload?.name ?? event.type);
    // The backend refuses 'poison' for good, is down for 'later' a while, and takes the rest.
    let down = true;
    network.respond((request) => {
      const sent = names(request);
      if (sent.includes('poison')) return 400;
      if (sent.includes('later')) return down ? 503 : 200;
      return 200;
    });
    client.init();
    client.track('poison');
    client.track('later');
    client.track('fine');
    const sends = (name: string) =>
      network.requests.filter((request) => names(request).includes(name)).length;
    for (let flush = 0; flush < 5; flush++) {
      await vi.advanceTimersByTimeAsync(1000);
      client.track(`more-${flush}`);
    }
    // A 2xx for other batches never resets its count: 3 refusals, then it is gone.
    expect(sends('poison')).toBe(3);
    expect(sends('fine')).toBe(1);
    // 503 is no lasting refusal: re-sent at every flush until the backend takes it.
    expect(sends('later')).toBe(6);
    down = false;
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sends('later')).toBe(7);
    client.destroy();
  });

  it('on leaving the page, sends what is queued before what was refused (the beacon quota is small)', async () => {
    const client = timedHttpClient(25);
    network.respond(503);
    client.init();
    client.track('refused');
    await vi.advanceTimersByTimeAsync(1000);
    expect(network.requests.length).toBeGreaterThan(0);
    network.respond(200);
    window.dispatchEvent(new Event('beforeunload'));
    const beacons = network.requests.filter((request) => request.via === 'beacon');
    const order = beacons.flatMap((request) =>
      request.events.map((event) => (event as { payload?: { name?: string; action?: string } }).payload),
    );
    const end = order.findIndex((payload) => payload?.action === 'end');
    const refused = order.findIndex((payload) => payload?.name === 'refused');
    expect(end).toBeGreaterThanOrEqual(0);
    expect(refused).toBeGreaterThan(end);
    client.destroy();
  });

  it('holds at most 500 events for a backend that stays down, so that a flush never re-sends more', async () => {
    const client = timedHttpClient(25);
    network.respond('offline');
    client.init();
    for (let i = 0; i < 1000; i++) client.track(`e${i}`);
    await vi.advanceTimersByTimeAsync(0);
    const before = network.events().length;
    await vi.advanceTimersByTimeAsync(1000);
    // The monitor events' sender (Skopos' page view has a sender, and a bound, of its own).
    const resent = network
      .events()
      .slice(before)
      .filter((event) => 'meta' in event);
    expect(resent.length).toBeGreaterThan(0);
    expect(resent.length).toBeLessThanOrEqual(500);
    // The oldest are the ones kept.
    expect(resent.some((event) => (event as { payload?: { name?: string } }).payload?.name === 'e0')).toBe(
      true,
    );
    client.destroy();
  });

  it('sends Skopos page views and engagement signals in batches of their own', () => {
    const client = createMonitorClient(
      monitorConfig({ mode: 'http', writeEndpoint: 'https://api.example.com/ingest', batchSize: 2 }),
    );
    client.init();
    client.track('a');
    window.dispatchEvent(new Event('beforeunload'));
    for (const request of network.requests) {
      const kinds = new Set(request.events.map((event) => ('meta' in event ? 'monitor' : 'skopos')));
      expect(kinds.size, JSON.stringify(request.events.map((event) => event.type))).toBe(1);
    }
    expect(network.events().map((event) => event.type)).toEqual(
      expect.arrayContaining(['pageView', 'session', 'custom', 'engagement']),
    );
    client.destroy();
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
    // The session start and both custom events; Skopos' page view of the load waits for its own batch.
    expect(network.events().map((event) => event.type)).toEqual(['session', 'custom', 'custom']);
    client.destroy();
  });
});
