// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSender } from './sender.ts';
import { type Network, settle, stubNetwork } from './test-support.ts';
import type { TrackerEvent } from './types.ts';

let network: Network;
const event = (name: string, extra: Partial<TrackerEvent> = {}): TrackerEvent => ({
  type: 'custom',
  name,
  url: 'https://shop.example.com/',
  ...extra,
});
const names = (events: TrackerEvent[]) => events.map((e) => e.name);

beforeEach(() => {
  network = stubNetwork();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the batch queue', () => {
  it('sends at batchSize events at once, as text/plain-safe strings, to the endpoint', () => {
    const sender = createSender('/_tracker/events', undefined, 3, 3000);
    sender.push(event('a'));
    sender.push(event('b'));
    expect(network.requests).toEqual([]);
    sender.push(event('c'));
    expect(network.requests).toHaveLength(1);
    const [request] = network.requests;
    expect(request?.via).toBe('fetch');
    expect(request?.url.href).toBe('https://shop.example.com/_tracker/events');
    expect(JSON.parse(request?.body ?? '')).toEqual({ events: [event('a'), event('b'), event('c')] });
  });

  it('sends a partial batch flushInterval ms after its first event', () => {
    const sender = createSender('/_tracker/events', undefined, 25, 3000);
    sender.push(event('a'));
    vi.advanceTimersByTime(2000);
    sender.push(event('b'));
    vi.advanceTimersByTime(999);
    expect(network.requests).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(names(network.events())).toEqual(['a', 'b']);
  });

  it('beacons what is left when asked (page going away), with the key as ?key=', () => {
    const sender = createSender('https://stats.example.com/_tracker/events', 'k 1', 25, 3000);
    sender.push(event('a'));
    sender.flush(true);
    expect(network.requests).toHaveLength(1);
    const [request] = network.requests;
    expect(request?.via).toBe('beacon');
    expect(`${request?.url.origin}${request?.url.pathname}`).toBe(
      'https://stats.example.com/_tracker/events',
    );
    expect(request?.url.searchParams.get('key')).toBe('k 1');
    // A string body: the browser sends it as text/plain, a CORS-safelisted type (no preflight).
    expect(typeof request?.body).toBe('string');
  });

  it('falls back to a keepalive fetch when the browser refuses the beacon', () => {
    const sender = createSender('/_tracker/events', undefined, 25, 3000);
    network.beaconAccepts(false);
    sender.push(event('a'));
    sender.flush(true);
    expect(network.requests.map((r) => [r.via, r.keepalive])).toEqual([['fetch', true]]);
    expect(network.events()).toHaveLength(1);
  });

  it('puts a batch back after a network error or a 5xx, and sends it on the next flush', async () => {
    const sender = createSender('/_tracker/events', 'key', 2, 3000);
    network.respond('offline');
    sender.push(event('a'));
    sender.push(event('b'));
    await settle();
    network.respond(503);
    vi.advanceTimersByTime(3000);
    await settle();
    network.respond(200);
    sender.push(event('c'));
    vi.advanceTimersByTime(3000);
    await settle();
    expect(network.requests.map((r) => names(r.events))).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b'], ['c']]);
    expect(network.requests.every((r) => r.url.searchParams.get('key') === 'key')).toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(network.requests).toHaveLength(4);
  });

  it.each([429, 500])('re-sends a batch answered %i', async (status) => {
    const sender = createSender('/_tracker/events', undefined, 1, 3000);
    network.respond(status);
    sender.push(event('later'));
    await settle();
    network.respond(200);
    vi.advanceTimersByTime(3000);
    await settle();
    expect(network.requests.map((r) => names(r.events))).toEqual([['later'], ['later']]);
  });

  it.each([400, 413, 422])(
    'does not re-send a batch the server refused (%i): the same events would fail again',
    async (status) => {
      const sender = createSender('/_tracker/events', undefined, 1, 3000);
      network.respond(status);
      sender.push(event('bad'));
      await settle();
      vi.advanceTimersByTime(10_000);
      await settle();
      expect(network.requests).toHaveLength(1);
    },
  );

  it('splits batches whose body would pass the server 64 KB limit', () => {
    const sender = createSender('/_tracker/events', undefined, 25, 3000);
    const stack = 's'.repeat(16_000);
    for (let i = 0; i < 8; i++)
      sender.push(event(`e${i}`, { type: 'jsError', errorMessage: 'x', stackTrace: stack }));
    sender.flush();
    expect(network.requests.length).toBeGreaterThan(1);
    expect(network.requests.every((r) => r.body.length < 65_536)).toBe(true);
    expect(names(network.events())).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
  });
});
