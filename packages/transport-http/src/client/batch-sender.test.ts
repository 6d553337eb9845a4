import { silentLogger, type TrackerEvent } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CentralServer, startCentralServer, view } from '../client-test-support.ts';
import { BROWSER_HEADERS } from '../test-support.ts';
import { createBatchSender } from './batch-sender.ts';
import { createHttpTransport } from './http-transport.ts';
import type { BatchSenderOptions, FetchLike } from './options.ts';

let central: CentralServer;

afterEach(async () => {
  vi.useRealTimers();
  await central.close();
});

function senderFor(options: Partial<BatchSenderOptions> = {}, fetch?: FetchLike) {
  const transport = createHttpTransport({ endpoint: central.endpoint, headers: BROWSER_HEADERS, fetch });
  return createBatchSender({ transport, logger: silentLogger, ...options });
}

const paths = (from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, i) => `/p${from + i}`);
const events = (from: number, to: number): TrackerEvent[] => paths(from, to).map((path) => view(path));

describe('createBatchSender', () => {
  it('sends a request as soon as batchSize events are queued, the rest on close()', async () => {
    central = await startCentralServer();
    const sender = senderFor({ batchSize: 5, flushInterval: 60_000 });
    for (const event of events(0, 12)) sender.push(event);
    await vi.waitFor(() => expect(sender.counters()).toMatchObject({ sent: 10, queued: 2 }));
    expect(central.seen.map((seen) => seen.count)).toEqual([5, 5]);
    await sender.close();
    expect(central.seen.map((seen) => seen.count)).toEqual([5, 5, 2]);
    expect(await central.storedPaths()).toEqual(paths(0, 12));
  });

  it('sends a partial batch after flushInterval', async () => {
    central = await startCentralServer();
    const sender = senderFor({ batchSize: 25, flushInterval: 30 });
    for (const event of events(0, 3)) sender.push(event);
    expect(central.seen).toEqual([]);
    await vi.waitFor(() => expect(sender.counters()).toMatchObject({ sent: 3, queued: 0, failed: 0 }));
    expect(central.seen.map((seen) => seen.count)).toEqual([3]);
    expect(await central.storedPaths()).toEqual(paths(0, 3));
    await sender.close();
  });

  it('keeps events through a server outage and delivers each once, in order, when it is back', async () => {
    central = await startCentralServer();
    const sender = senderFor({ batchSize: 10, flushInterval: 20, retry: { baseMs: 10, maxMs: 50 } });
    await central.stop();
    for (const event of events(0, 25)) sender.push(event);
    await vi.waitFor(() => expect(sender.counters().retries).toBeGreaterThanOrEqual(3), { timeout: 10_000 });
    expect(sender.counters()).toMatchObject({ sent: 0, queued: 25, dropped: 0 });
    for (const event of events(25, 30)) sender.push(event);
    await central.restart();
    await vi.waitFor(() => expect(sender.counters()).toMatchObject({ sent: 30, queued: 0 }), {
      timeout: 10_000,
    });
    expect(await central.storedPaths()).toEqual(paths(0, 30));
    await sender.close();
  });

  it('re-sends a batch whose answer was lost, and the server stores it once', async () => {
    central = await startCentralServer();
    let lose = true;
    const losingFetch: FetchLike = async (input, init) => {
      const response = await fetch(input, init);
      if (!lose) return response;
      lose = false;
      throw new TypeError('connection reset after the server answered');
    };
    const sender = senderFor(
      { batchSize: 4, flushInterval: 20, retry: { baseMs: 10, maxMs: 50 } },
      losingFetch,
    );
    for (const event of events(0, 4)) sender.push(event);
    await vi.waitFor(() => expect(sender.counters()).toMatchObject({ sent: 4, retries: 1 }));
    expect(central.seen.map((seen) => seen.count)).toEqual([4, 4]);
    expect(await central.storedPaths()).toEqual(paths(0, 4));
    await sender.close();
  });

  it('does not retry the events of a batch the server refuses, and counts them', async () => {
    central = await startCentralServer();
    const sender = senderFor({ batchSize: 2, flushInterval: 20, retry: { baseMs: 10, maxMs: 50 } });
    sender.push({ type: 'pageView', url: 'not a url' });
    sender.push({ type: 'pageView', url: 'ftp://example.com/' });
    await vi.waitFor(() => expect(sender.counters()).toMatchObject({ failed: 2, queued: 0 }));
    await sender.flush();
    sender.push(view('/after'));
    await sender.close();
    expect(central.seen.map((seen) => seen.status)).toEqual([200, 200]);
    expect(await central.storedPaths()).toEqual(['/after']);
  });

  it('waits for the Retry-After of a 429 before sending again', async () => {
    central = await startCentralServer();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    central.override = (request) => {
      central.override = undefined;
      return new Response(`rate limited ${request.method}`, {
        status: 429,
        headers: { 'retry-after': '30' },
      });
    };
    const sender = senderFor({ batchSize: 2, flushInterval: 100, retry: { baseMs: 10, maxMs: 50 } });
    sender.push(view('/a'));
    sender.push(view('/b'));
    await vi.waitFor(() => expect(sender.counters().retries).toBe(1));
    // Far past the client's own backoff (≤ 50 ms) and flushInterval, still inside the server's 30 s.
    sender.push(view('/c'));
    sender.push(view('/d'));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(central.seen.map((seen) => seen.status)).toEqual([429]);
    await vi.advanceTimersByTimeAsync(1_500);
    await vi.waitFor(() => expect(sender.counters()).toMatchObject({ sent: 4, queued: 0 }));
    expect(await central.storedPaths()).toEqual(['/a', '/b', '/c', '/d']);
    await sender.close();
  });

  it('bounds the queue: the oldest events are dropped and counted', async () => {
    central = await startCentralServer();
    const sender = senderFor({ batchSize: 5, maxQueue: 5, flushInterval: 60_000, retry: { baseMs: 60_000 } });
    await central.stop();
    for (const event of events(0, 5)) sender.push(event);
    await vi.waitFor(() => expect(sender.counters().retries).toBe(1));
    for (const event of events(5, 8)) sender.push(event);
    expect(sender.counters()).toMatchObject({ dropped: 3, queued: 5, sent: 0 });
    await central.restart();
    await sender.flush();
    expect(sender.counters()).toMatchObject({ dropped: 3, queued: 0, sent: 5 });
    expect(await central.storedPaths()).toEqual(paths(3, 8));
    await sender.close();
  });

  it('drops and counts events pushed after close()', async () => {
    central = await startCentralServer();
    const sender = senderFor();
    await sender.close();
    sender.push(view('/late'));
    expect(sender.counters()).toMatchObject({ dropped: 1, queued: 0 });
  });
});
