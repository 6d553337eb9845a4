import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@skopos/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreContext } from './context.ts';
import { createRealtimeClient } from './realtime-client.ts';
import { RequestTimeout } from './request-timeout.ts';

// A real server on 127.0.0.1 that opens the event stream and never sends PB_CONNECT, as a frozen
// PocketBase (or a proxy buffering the stream) would.
let server: Server;
let base = '';
const held: ServerResponse[] = [];
beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const res of held) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('realtime client: waiting for PB_CONNECT', () => {
  it('gives up after the store’s timeoutMs instead of waiting forever', async () => {
    // Nothing but the stream is reached before PB_CONNECT: the client and auth are never used.
    const ctx = { url: base, logger: silentLogger } as unknown as StoreContext;
    const realtime = createRealtimeClient(ctx, fetch, 150);
    const handlers = { onMessage() {}, onReconnect() {} };
    const failure = await realtime.subscribe('websites/x', handlers).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RequestTimeout);
    expect((failure as Error).message).toBe('no answer within 150 ms');
    await realtime.close();
  });

  it('gives up as well with a custom fetch that ignores its signal', async () => {
    const ctx = { url: base, logger: silentLogger } as unknown as StoreContext;
    const deaf: typeof fetch = () => new Promise(() => {});
    const realtime = createRealtimeClient(ctx, deaf, 100);
    const handlers = { onMessage() {}, onReconnect() {} };
    expect(await realtime.subscribe('websites/x', handlers).catch((error: unknown) => error)).toBeInstanceOf(
      RequestTimeout,
    );
    await realtime.close();
  });
});
