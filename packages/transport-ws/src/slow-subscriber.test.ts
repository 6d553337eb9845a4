import { createLogger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import { CLOSE_TRY_AGAIN_LATER, type LiveEvent } from './protocol.ts';
import { useSockets } from './test-sockets.ts';
import { pageView, startWsTestServer } from './test-support.ts';

const sockets = useSockets();
const connect = (url: string) => sockets.open(url);

const CAP = 64 * 1024;

describe('a live subscriber that stops reading', () => {
  it('is pushed nothing past maxBufferedBytes, closed with 1013 so that it reconnects, and counted once', async () => {
    const warnings: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (_level, message) => warnings.push(message) });
    const server = sockets.serve(await startWsTestServer({ maxBufferedBytes: CAP, logger }));
    const stalled = await connect(server.url);
    const reader = await connect(server.url);
    for (const subscriber of [stalled, reader]) {
      subscriber.send({ type: 'subscribe' });
      subscriber.send({ type: 'ping' });
      await subscriber.nextOf('pong');
    }
    // A real live event, as pushes carry it, to publish in bulk.
    const sender = await connect(server.url);
    sender.send({ type: 'ingest', id: 'seed', events: [pageView(`/live/${'x'.repeat(500)}`)] });
    const [event] = (await reader.nextOf('push')).events as [LiveEvent];
    await stalled.nextOf('push');
    const burst: LiveEvent[] = Array.from({ length: 100 }, () => event);
    const frameBytes = JSON.stringify({ type: 'push', events: burst }).length;

    stalled.socket.pause();
    let published = 0;
    let delivered = 0;
    reader.socket.on('message', () => {
      delivered += 1;
    });
    while (server.ws.stats().slowSubscribersClosed === 0) {
      server.ws.publish(burst);
      published += 1;
      // Lets the sockets flush to the kernel, as between two batches of a live server.
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Nothing more is pushed to it, and it is counted and logged once.
    for (let i = 0; i < 20; i++) server.ws.publish(burst);
    expect(server.ws.stats().slowSubscribersClosed).toBe(1);
    const closing = warnings.filter((line) => line.includes('closed a live subscriber'));
    expect(closing).toHaveLength(1);
    const waiting = Number(/left (\d+) bytes unread/.exec(closing[0] as string)?.[1]);
    expect(waiting).toBeGreaterThan(CAP);
    // The cap, and the one frame sent while under it (with its few bytes of WebSocket framing).
    expect(waiting).toBeLessThanOrEqual(CAP + frameBytes + 16);

    // Once it reads again it gets what was buffered, then the close: 1013, try again later.
    stalled.socket.resume();
    expect(await stalled.closed).toEqual({
      code: CLOSE_TRY_AGAIN_LATER,
      reason: 'live events left unread: reconnect and subscribe again',
    });
    // The subscriber that reads got every push.
    await expectEventually(() => delivered === published + 20);
    const again = await connect(server.url);
    again.send({ type: 'subscribe' });
    again.send({ type: 'ping' });
    await again.nextOf('pong');
    server.ws.publish([event]);
    expect((await again.nextOf('push')).events).toHaveLength(1);
  });
});

async function expectEventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
