import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServerMessage } from './protocol.ts';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { pageView, startWsTestServer, type WsTestServer } from './test-support.ts';

let server: WsTestServer;
let client: RawClient;

beforeAll(async () => {
  // Thousands of frames in a row: the frame rate limit (limits.test.ts) would end the connection.
  server = await startWsTestServer({ maxFramesPerSecond: 1_000_000 });
  client = await openRaw(server.url);
});

afterAll(async () => {
  await client.close();
  await server.close();
});

/** Sends one frame, then a ping; answers what the server said in between (the pong marks the end). */
async function exchange(frame: string | Uint8Array): Promise<ServerMessage[]> {
  client.socket.send(frame);
  client.send({ type: 'ping' });
  const replies: ServerMessage[] = [];
  for (;;) {
    const message = await client.next();
    if (message.type === 'pong') return replies;
    replies.push(message);
  }
}

const messageType = fc.oneof(
  fc.constantFrom(
    'auth',
    'ingest',
    'query',
    'events:query',
    'subscribe',
    'unsubscribe',
    'ack',
    'push',
    'result',
  ),
  fc.string(),
);

const protocolLike = fc
  .record(
    {
      type: messageType,
      id: fc.jsonValue(),
      reqId: fc.jsonValue(),
      key: fc.jsonValue(),
      events: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.jsonValue()),
      since: fc.oneof(
        fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
        fc.jsonValue(),
      ),
      until: fc.jsonValue(),
      limit: fc.jsonValue(),
      cursor: fc.jsonValue(),
      site: fc.jsonValue(),
      query: fc.oneof(
        fc.record(
          {
            since: fc.oneof(
              fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
              fc.jsonValue(),
            ),
            until: fc.jsonValue(),
            after: fc.jsonValue(),
            limit: fc.jsonValue(),
            page: fc.jsonValue(),
            level: fc.jsonValue(),
            search: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: ['type'] },
  )
  .map((message) => JSON.stringify(message));

const frames = fc.oneof(fc.string(), fc.json(), protocolLike, fc.uint8Array({ maxLength: 256 }));

it('answers arbitrary frames without crashing, closing, or an error without a reason', async () => {
  await fc.assert(
    fc.asyncProperty(frames, async (frame) => {
      const replies = await exchange(frame);
      for (const reply of replies) {
        if (reply.type === 'error') expect(reply.reason).toMatch(/\w/);
        else expect(['ack', 'result', 'events:response', 'auth_ok', 'push']).toContain(reply.type);
      }
    }),
    { numRuns: 300 },
  );
  expect(client.socket.readyState).toBe(client.socket.OPEN);
  client.send({ type: 'ingest', id: 'after-fuzz', events: [pageView('/still-works')] });
  expect(await client.nextOf('ack')).toMatchObject({ id: 'after-fuzz', saved: 1 });
});
