import { connect } from 'node:net';
import { createSkopos, LIMITS, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpHandler } from './handler.ts';
import { SITE, startTestServer, type TestServer } from './test-support.ts';
import type { WriteOutcome } from './write-outcome.ts';

/** No bad request is answered with more than this. */
const MAX_REPLY_BYTES = 4096;

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pageViews = (count: number, extra: (index: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: count }, (_, index) => ({
    type: 'pageView',
    url: 'https://example.com/',
    ...extra(index),
  }));

async function answer(response: Response): Promise<{ bytes: number; text: string }> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes: bytes.byteLength, text: new TextDecoder().decode(bytes) };
}

describe('the size of an answer to a bad write', () => {
  it('stays under 4 KB and echoes 64 characters of a 7 KB unknown ?site=', async () => {
    server = await startTestServer();
    const site = 'unknown-'.padEnd(7000, 'x');
    const response = await server.post(
      { events: pageViews(LIMITS.maxBatchEvents) },
      { path: `/events?site=${site}` },
    );
    expect(response.status).toBe(200);
    const { bytes, text } = await answer(response);
    expect(bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    // 0.1 repeated 300 characters of the site in each listed refusal.
    expect(text).not.toContain(site.slice(0, 65));
    const outcome = JSON.parse(text) as WriteOutcome;
    expect(outcome.rejected.length + (outcome.omitted ?? 0)).toBe(LIMITS.maxBatchEvents);
    expect(outcome.rejected[0]?.issues[0]?.reason).toMatch(/^Website unknown-x+… not found/);
  });

  it('stays under 4 KB when each event of a 60 KB batch names an unknown site of its own', async () => {
    server = await startTestServer();
    const events = pageViews(LIMITS.maxBatchEvents, (index) => ({
      siteId: `nowhere-${index}`.padEnd(60, 'y'),
    }));
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(40_000);
    // 0.1 listed every one of them: 98 KB.
    const response = await server.post(body, { raw: true });
    const { bytes, text } = await answer(response);
    expect(bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    const outcome = JSON.parse(text) as WriteOutcome;
    expect(outcome.rejected.length).toBeGreaterThan(0);
    expect(outcome.rejected.length + (outcome.omitted ?? 0)).toBe(LIMITS.maxBatchEvents);
  });

  it('answers 1000 events, over the batch limit, in a few bytes', async () => {
    server = await startTestServer();
    const response = await server.post(
      { events: pageViews(1000) },
      { path: `/events?site=${'z'.repeat(7000)}` },
    );
    expect(response.status).toBe(400);
    expect((await answer(response)).bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
  });

  it('answers one event for a 7 KB unknown site 404 without the whole site in its error', async () => {
    server = await startTestServer();
    const site = 's'.repeat(7000);
    const response = await server.post(
      { type: 'pageView', url: 'https://example.com/' },
      { path: `/events?site=${site}` },
    );
    expect(response.status).toBe(404);
    const { bytes, text } = await answer(response);
    expect(bytes).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(text).not.toContain(site.slice(0, 65));
  });
});

/** Sends raw bytes and collects what comes back until the server closes the connection. */
function rawExchange(port: number, request: string): Promise<{ head: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ head: text.split('\r\n\r\n')[0] ?? '', closed: false });
    }, 5000);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ head: text.split('\r\n\r\n')[0] ?? '', closed: true });
    });
    socket.write(request);
  });
}

describe('413', () => {
  it('tells the client the connection closes, and closes it', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, maxBodyBytes: 1000 });
    const port = Number(new URL(server.origin).port);
    const body = 'x'.repeat(5000);
    const declared = await rawExchange(
      port,
      `POST /_tracker/events HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    const chunked = await rawExchange(
      port,
      `POST /_tracker/events HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    for (const { head, closed } of [declared, chunked]) {
      expect(head).toMatch(/^HTTP\/1\.1 413 /);
      expect(head).toMatch(/\r\nconnection: close\r\n/i);
      expect(closed).toBe(true);
    }
  });

  it('carries Connection: close in the Fetch response too, for runtimes other than node:http', async () => {
    const skopos = createSkopos({
      store: memoryStore({ websites: [SITE] }),
      batch: false,
      logger: silentLogger,
    });
    const handler = createHttpHandler({ skopos, siteId: SITE.trackingId, logger: silentLogger });
    const response = await handler(
      new Request('http://localhost/_tracker/events', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(LIMITS.batchBodyMaxBytes + 1),
        },
        body: 'x'.repeat(LIMITS.batchBodyMaxBytes + 1),
      }),
    );
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    await skopos.shutdown();
  });
});
