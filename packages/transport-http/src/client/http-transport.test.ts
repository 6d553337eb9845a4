import { isSkoposError, silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CentralServer, startCentralServer, view } from '../client-test-support.ts';
import { BROWSER_HEADERS } from '../test-support.ts';
import { createBatchSender } from './batch-sender.ts';
import { createHttpTransport } from './http-transport.ts';
import type { FetchLike } from './options.ts';

let central: CentralServer;

afterEach(async () => {
  vi.unstubAllGlobals();
  await central.close();
});

/** A stand-in for the browser's beacon that really POSTs the Blob, as the browser would. */
function realBeacon(calls: string[]): { sendBeacon(url: string, data: Blob): boolean } {
  return {
    sendBeacon(url, data) {
      calls.push(url);
      void fetch(url, {
        method: 'POST',
        headers: { ...BROWSER_HEADERS, 'content-type': data.type },
        body: data,
      });
      return true;
    },
  };
}

describe('createHttpTransport', () => {
  it('POSTs { events } as JSON with X-Tracker-Key and the events are stored', async () => {
    central = await startCentralServer('k-123');
    const transport = createHttpTransport({
      endpoint: central.endpoint,
      apiKey: 'k-123',
      headers: BROWSER_HEADERS,
    });
    const result = await transport.send([view('/a'), view('/b')]);
    expect(result).toEqual({ ok: true, saved: 2 });
    expect(await central.storedPaths()).toEqual(['/a', '/b']);
    expect(central.seen[0]).toMatchObject({ status: 200, key: 'k-123', count: 2 });
    expect(central.seen[0]?.contentType).toBe('application/json');
  });

  it('answers invalid events as taken by nobody (saved 0), and a wrong key (401) as not retryable', async () => {
    central = await startCentralServer('k-123');
    const good = createHttpTransport({
      endpoint: central.endpoint,
      apiKey: 'k-123',
      headers: BROWSER_HEADERS,
    });
    const invalid = await good.send([{ type: 'pageView', url: 'not a url' }]);
    // A batch is answered 200 with its refusals listed, so that a client never re-sends it forever.
    expect(invalid).toEqual({ ok: true, saved: 0 });
    const wrongKey = createHttpTransport({
      endpoint: central.endpoint,
      apiKey: 'nope',
      headers: BROWSER_HEADERS,
    });
    expect(await wrongKey.send([view('/x')])).toMatchObject({ ok: false, retryable: false, status: 401 });
    expect(await central.storedPaths()).toEqual([]);
  });

  it('answers 503 and network errors as retryable, with the Retry-After of the server', async () => {
    central = await startCentralServer();
    const transport = createHttpTransport({ endpoint: central.endpoint, headers: BROWSER_HEADERS });
    central.override = () => new Response('busy', { status: 503, headers: { 'retry-after': '7' } });
    expect(await transport.send([view('/a')])).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 7000,
    });
    await central.stop();
    expect(await transport.send([view('/a')])).toMatchObject({ ok: false, retryable: true });
  });

  it('sendFinal sends a text/plain beacon with the key in ?key=, and the server stores it', async () => {
    central = await startCentralServer('k-123');
    const calls: string[] = [];
    vi.stubGlobal('navigator', realBeacon(calls));
    const transport = createHttpTransport({ endpoint: central.endpoint, apiKey: 'k-123' });
    expect(transport.sendFinal([view('/bye', { eventId: 'e1' })])).toBe(true);
    expect(calls).toEqual([`${central.endpoint}?key=k-123`]);
    await vi.waitFor(async () => expect(await central.storedPaths()).toEqual(['/bye']));
    expect(central.seen[0]).toMatchObject({ status: 200, key: null, count: 1 });
    expect(central.seen[0]?.contentType).toMatch(/^text\/plain/);
  });

  it('sendFinal falls back to a keepalive fetch where there is no sendBeacon (Node)', async () => {
    central = await startCentralServer('k-123');
    vi.stubGlobal('navigator', undefined);
    const transport = createHttpTransport({
      endpoint: central.endpoint,
      apiKey: 'k-123',
      headers: BROWSER_HEADERS,
    });
    expect(transport.sendFinal([view('/last')])).toBe(true);
    await vi.waitFor(async () => expect(await central.storedPaths()).toEqual(['/last']));
    expect(central.seen[0]?.contentType).toMatch(/^text\/plain/);
  });

  it('refuses an endpoint that is not a URL with a SkoposError', async () => {
    central = await startCentralServer();
    const attempt = () => createHttpTransport({ endpoint: 'http://' });
    expect(attempt).toThrow(/endpoint must be a URL/);
    try {
      attempt();
    } catch (error) {
      expect(isSkoposError(error) && error.code).toBe('invalid_options');
    }
  });
});

describe('onPageHide', () => {
  it('hands every queued event to the beacon and the server stores them', async () => {
    central = await startCentralServer();
    const calls: string[] = [];
    vi.stubGlobal('navigator', realBeacon(calls));
    const transport = createHttpTransport({ endpoint: central.endpoint });
    const sender = createBatchSender({ transport, batchSize: 10, flushInterval: 60_000 });
    for (let i = 0; i < 7; i++) sender.push(view(`/p${i}`));
    expect(central.seen).toEqual([]);
    sender.onPageHide();
    expect(calls).toHaveLength(1);
    expect(sender.counters()).toMatchObject({ sent: 7, queued: 0 });
    const expected = Array.from({ length: 7 }, (_, i) => `/p${i}`);
    await vi.waitFor(async () => expect(await central.storedPaths()).toEqual(expected));
    await sender.close();
  });

  it('also hands over the batch in flight, whose request dies with the page', async () => {
    central = await startCentralServer();
    const calls: string[] = [];
    vi.stubGlobal('navigator', realBeacon(calls));
    let abandon: (() => void) | undefined;
    const dyingFetch: FetchLike = () =>
      new Promise<Response>((_, reject) => {
        abandon = () => reject(new TypeError('the page is gone'));
      });
    const transport = createHttpTransport({ endpoint: central.endpoint, fetch: dyingFetch });
    const sender = createBatchSender({
      transport,
      batchSize: 3,
      flushInterval: 60_000,
      logger: silentLogger,
    });
    for (let i = 0; i < 4; i++) sender.push(view(`/p${i}`));
    expect(sender.counters()).toMatchObject({ queued: 4, sent: 0 });
    sender.onPageHide();
    expect(calls).toHaveLength(2);
    expect(sender.counters()).toMatchObject({ sent: 4, queued: 0 });
    abandon?.();
    await sender.flush();
    expect(sender.counters()).toMatchObject({ sent: 4, queued: 0, retries: 0 });
    // Two beacons race each other on the wire: the set is what counts here.
    await vi.waitFor(async () =>
      expect((await central.storedPaths()).sort()).toEqual(['/p0', '/p1', '/p2', '/p3']),
    );
  });
});
