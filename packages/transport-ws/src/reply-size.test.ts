import { LIMITS } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { AckMessage } from './protocol.ts';
import { openRaw, type RawClient } from './test-raw-client.ts';
import { startWsTestServer, type WsTestServer } from './test-support.ts';

/** What an issue of the fix promises: no bad request is answered with more than this. */
const MAX_REPLY_BYTES = 4096;

let server: WsTestServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await server?.close();
  server = undefined;
});

/** Sends one frame and answers the size in bytes and the content of the server's reply. */
async function exchange(url: string, frame: string): Promise<{ bytes: number; text: string }> {
  const client = await openRaw(url);
  clients.push(client);
  const reply = new Promise<{ bytes: number; text: string }>((resolve) => {
    client.socket.once('message', (data: Buffer) => resolve({ bytes: data.byteLength, text: String(data) }));
  });
  client.send(frame);
  return reply;
}

const pageViews = (count: number, extra: (index: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: count }, (_, index) => ({
    type: 'pageView',
    url: 'https://example.com/',
    ...extra(index),
  }));

describe('the size of an answer to a bad batch', () => {
  it('stays under 4 KB when every event of a full batch is for a 7 KB unknown site', async () => {
    server = await startWsTestServer();
    const site = 'unknown-'.padEnd(7000, 'x');
    const frame = JSON.stringify({ type: 'ingest', id: 1, events: pageViews(LIMITS.maxBatchEvents) });
    // 0.1 repeated the site once per listed refusal: 712 KB for these 31 KB (frame and URL).
    expect(frame.length + site.length).toBeGreaterThan(30_000);
    const { bytes, text } = await exchange(`${server.url}?site=${site}`, frame);
    expect(bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(text).not.toContain(site);
    const ack = JSON.parse(text) as AckMessage;
    expect(ack.saved).toBe(0);
    expect(ack.rejected.length + (ack.omitted ?? 0)).toBe(LIMITS.maxBatchEvents);
    expect(ack.rejected[0]?.issues[0]?.reason).toMatch(/^Website unknown-x+… not found/);
  });

  it('stays under 4 KB when each event names an unknown site of its own', async () => {
    server = await startWsTestServer();
    const events = pageViews(LIMITS.maxBatchEvents, (index) => ({
      siteId: `nowhere-${index}`.padEnd(60, 'y'),
    }));
    const frame = JSON.stringify({ type: 'ingest', id: 'distinct', events });
    expect(frame.length).toBeGreaterThan(40_000);
    // 0.1: 18 KB, one refusal listed for each of 100 events.
    const { bytes, text } = await exchange(server.url, frame);
    expect(bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    const ack = JSON.parse(text) as AckMessage;
    expect(ack.rejected.length).toBeGreaterThan(0);
    expect(ack.rejected.length + (ack.omitted ?? 0)).toBe(LIMITS.maxBatchEvents);
  });

  it('stays under 4 KB for a batch of 1000 events, over the batch limit', async () => {
    server = await startWsTestServer();
    const frame = JSON.stringify({ type: 'ingest', id: 'big', events: pageViews(1000) });
    const { bytes, text } = await exchange(`${server.url}?site=${'z'.repeat(7000)}`, frame);
    expect(bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(JSON.parse(text)).toMatchObject({ type: 'error', id: 'big' });
  });
});
