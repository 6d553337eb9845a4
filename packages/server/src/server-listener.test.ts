import { request } from 'node:http';
import { silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer, StartServerOptions } from './options.ts';
import { startServer } from './start-server.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let server: RunningServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Reply {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/**
 * A write with this Host. `localhost:<port>` is answered by the direct Node write route; an
 * upper-case Host is not one `@hono/node-server` takes as is, so the Hono app answers it.
 */
function post(url: string, host: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: `${pathname}${search}`,
        method: 'POST',
        agent: false,
        headers: { ...BROWSER_HEADERS, ...headers, host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const {
            date,
            'content-length': _length,
            'transfer-encoding': _chunked,
            'keep-alive': _ka,
            ...rest
          } = res.headers;
          resolve({ status: res.statusCode ?? 0, headers: rest, body: Buffer.concat(chunks).toString() });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The same requests through the direct write route and through the Hono app: the answers must be equal. */
async function expectSameAnswers(
  options: StartServerOptions,
  requests: { body: string; headers?: Record<string, string>; query?: string }[],
): Promise<Reply[]> {
  server = await startServer({ port: 0, logger: silentLogger, dashboard: false, ...options });
  const { port } = new URL(server.url);
  const replies: Reply[] = [];
  for (const { body, headers, query = '' } of requests) {
    const url = `${server.endpoints.write}${query}`;
    const direct = await post(url, `localhost:${port}`, body, headers);
    const viaHono = await post(url, `LOCALHOST:${port}`, body, headers);
    expect(direct, body.slice(0, 80)).toEqual(viaHono);
    replies.push(direct);
  }
  return replies;
}

describe('the server listener', () => {
  it('answers writes straight on Node as the Hono app does', async () => {
    const big = JSON.stringify({ events: [{ pad: 'x'.repeat(1_100_000) }] });
    const replies = await expectSameAnswers({ sites: [{ trackingId: 'shop', domain: 'example.com' }] }, [
      { body: batchOf(['/a', '/b']) },
      { body: batchOf(['/c'], 'elsewhere') },
      {
        body: '{"type":"ingest","events":[{"type":"click","appId":"shop","timestamp":"2026-01-01T00:00:00Z"}]}',
      },
      { body: '\u0000{not json' },
      { body: big },
      { body: '<x/>', headers: { 'content-type': 'application/xml' } },
      { body: batchOf(['/d']), headers: { origin: 'https://example.com' } },
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 400, 413, 415, 200]);
  });

  it('applies the write key, CORS and the rate limit as the Hono app does', async () => {
    // Each request goes once through each path, against one budget: 4 writes, then 429 on both; a
    // page not listed is refused first (403), spending none of it.
    const listed = { 'x-tracker-key': 'k-1', origin: 'https://example.com' };
    const replies = await expectSameAnswers(
      { apiKey: 'k-1', cors: { origins: ['https://example.com'] }, rateLimit: { windowMs: 60_000, max: 4 } },
      [
        { body: batchOf(['/a'], 'app') },
        { body: batchOf(['/b'], 'app'), headers: listed },
        { body: batchOf(['/c'], 'app'), query: '?key=k-1', headers: { origin: 'https://other.example' } },
        { body: batchOf(['/d'], 'app'), headers: listed },
      ],
    );
    expect(replies.map((reply) => reply.status)).toEqual([401, 200, 403, 429]);
  });

  it('resolves the client behind a trusted proxy as the Hono app does, for the rate limit and the pipeline', async () => {
    const a = { 'x-forwarded-for': '203.0.113.7' };
    const b = { 'x-forwarded-for': '203.0.113.8' };
    const replies = await expectSameAnswers(
      { trustProxy: 'loopback', rateLimit: { windowMs: 60_000, max: 2 } },
      [
        { body: batchOf(['/a'], 'app'), headers: a },
        { body: batchOf(['/b'], 'app'), headers: b },
        { body: batchOf(['/c'], 'app'), headers: a },
      ],
    );
    // Limited per forwarded client, not per proxy (the socket peer), over both paths together.
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 429]);
    await server?.skopos.flush();
    const events = (await server?.skopos.query({ limit: 10 }))?.events ?? [];
    expect(events).toHaveLength(4);
    // Each client's events, one through each path, share a session: both paths saw the same address.
    const sessionsOf = (path: string) => new Set(events.filter((e) => e.path === path).map((e) => e.session));
    expect([sessionsOf('/a').size, sessionsOf('/b').size]).toEqual([1, 1]);
    expect(sessionsOf('/a')).not.toEqual(sessionsOf('/b'));
  });

  it('counts a client once over both paths: another Host spelling or port does not give it a second budget', async () => {
    server = await startServer({
      port: 0,
      logger: silentLogger,
      dashboard: false,
      rateLimit: { windowMs: 60_000, max: 3 },
    });
    const { port } = new URL(server.url);
    const body = batchOf(['/x'], 'app');
    const statuses: number[] = [];
    // Straight on Node; then the Hono app (an upper-case Host, a port it does not take as is).
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, 'localhost:80', `localhost:${port}`]) {
      statuses.push((await post(server.endpoints.write, host, body)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await post(server.endpoints.write, 'LOCALHOST:80', body)).status).toBe(429);
  });
});
