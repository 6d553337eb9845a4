import { silentLogger } from '@skopos/core';
import { describe, expect, it } from 'vitest';
import type { StoreContext } from './context.ts';
import { createRealtimeClient } from './realtime-client.ts';
import { RequestTimeout } from './request-timeout.ts';
import { useHoldingServer } from './test-support/holding-server.ts';

// Opens the event stream and never sends PB_CONNECT, as a frozen PocketBase (or a proxy buffering
// the stream) would.
const url = useHoldingServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.flushHeaders();
  return 'hold';
});

describe('realtime client: waiting for PB_CONNECT', () => {
  it('gives up after the store’s timeoutMs instead of waiting forever', async () => {
    // Nothing but the stream is reached before PB_CONNECT: the client and auth are never used.
    const ctx = { url: url(), logger: silentLogger } as unknown as StoreContext;
    const realtime = createRealtimeClient(ctx, fetch, 150);
    const handlers = { onMessage() {}, onReconnect() {} };
    const failure = await realtime.subscribe('websites/x', handlers).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestTimeout);
    expect((failure as Error).message).toBe('no answer within 150 ms');
    await realtime.close();
  });

  it('gives up as well with a custom fetch that ignores its signal', async () => {
    const ctx = { url: url(), logger: silentLogger } as unknown as StoreContext;
    const deaf: typeof fetch = () => new Promise(() => {});
    const realtime = createRealtimeClient(ctx, deaf, 100);
    const handlers = { onMessage() {}, onReconnect() {} };
    expect(await realtime.subscribe('websites/x', handlers).catch((error: unknown) => error)).toBeInstanceOf(
      RequestTimeout,
    );
    await realtime.close();
  });
});
