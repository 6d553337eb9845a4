import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createSkopos, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeWriteRoute } from './node.ts';
import type { HttpHandlerOptions } from './options.ts';
import {
  BROWSER_HEADERS,
  monitorEvent,
  pageView,
  SITE,
  startTestServer,
  type TestServer,
} from './test-support.ts';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Sent as is; an array is sent in chunks without a length (chunked). */
  body?: string | Buffer | Buffer[];
}

/** One request over a fresh connection, path and headers exactly as given (fetch would add its own). */
function send(origin: string, sent: Sent): Promise<Reply> {
  const { method = 'POST', path = '/_tracker/events', headers = {}, body } = sent;
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(origin);
    // `path` goes out as written: a URL would normalise `/./` away.
    const req = request({ hostname, port, path, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else req.end(body);
  });
}

/** What a client can tell of an answer: everything but the framing and the date. */
function seen(reply: Reply): Record<string, unknown> {
  const {
    date,
    'content-length': _length,
    'transfer-encoding': _chunked,
    'keep-alive': _ka,
    ...headers
  } = reply.headers;
  return { status: reply.status, headers, body: reply.body };
}

const json = (value: unknown, extra: Record<string, string> = {}): Sent => ({
  headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', ...extra },
  body: JSON.stringify(value),
});

let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

/** The same requests, in order, to the Fetch handler and to the Node write route: the answers must be equal. */
async function expectSameAnswers(
  options: Partial<Omit<HttpHandlerOptions, 'skopos'>>,
  requests: Sent[],
): Promise<Reply[]> {
  const fetchPath = await startTestServer(options, { directWrites: false });
  const nodePath = await startTestServer(options, { directWrites: true });
  servers.push(fetchPath, nodePath);
  const replies: Reply[] = [];
  for (const sent of requests) {
    const viaFetch = await send(fetchPath.origin, sent);
    const viaNode = await send(nodePath.origin, sent);
    expect(
      seen(viaNode),
      `${sent.method ?? 'POST'} ${sent.path ?? ''} ${String(sent.body).slice(0, 80)}`,
    ).toEqual(seen(viaFetch));
    replies.push(viaNode);
  }
  return replies;
}

describe('createNodeWriteRoute', () => {
  it('answers writes as the Fetch handler does: batches, refusals, both body shapes, duplicates', async () => {
    const replies = await expectSameAnswers({ siteId: SITE.trackingId }, [
      json({ events: [pageView('/a'), pageView('/b', { eventId: 'e-1' })] }),
      json({ events: [pageView('/b', { eventId: 'e-1' })] }),
      json({
        type: 'ingest',
        events: [monitorEvent(Date.now()), monitorEvent(Date.now(), { type: 'nope' })],
      }),
      json({
        events: [pageView('/c'), { type: 'pageView', url: 'not a url' }, pageView('/d', { siteId: 'other' })],
      }),
      json(pageView('/single')),
      json({ type: 'pageView', url: 'nope' }),
      json({ events: [] }),
      json({ type: 'other', events: [pageView()] }),
      json([pageView()]),
      { headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' }, body: '{"events":[' },
      { headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' }, body: '' },
      {
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
        body: Buffer.from([0xff, 0xfe]),
      },
      {
        headers: { ...BROWSER_HEADERS, 'content-type': 'text/plain' },
        body: JSON.stringify(pageView('/beacon')),
      },
      { headers: { ...BROWSER_HEADERS, 'content-type': 'application/xml' }, body: '<x/>' },
      // A bot (curl's headers): dropped with its reason, 2xx.
      {
        headers: { 'user-agent': 'curl/8.5.0', 'content-type': 'application/json' },
        body: '{"type":"pageView","url":"https://example.com/"}',
      },
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([
      200, 200, 200, 200, 200, 400, 400, 400, 400, 400, 400, 400, 200, 415, 200,
    ]);
    expect(JSON.parse(replies[1]?.body ?? '')).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('answers gzip bodies, the site from ?site= and bodies over the limit as the Fetch handler does', async () => {
    const big = JSON.stringify({ events: [pageView('/x', { customData: { pad: 'x'.repeat(1_100_000) } })] });
    const replies = await expectSameAnswers({}, [
      {
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: gzipSync(JSON.stringify(pageView('/zipped'))),
      },
      { ...json(pageView('/by-query')), path: '/_tracker/events?site=site-a&x=%20' },
      { ...json(pageView('/trailing-slash')), path: '/_tracker/events/?site=site-a' },
      json(pageView('/no-site')),
      { headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' }, body: big },
      // Chunked, no Content-Length: refused while reading.
      {
        headers: { ...BROWSER_HEADERS, 'content-type': 'application/json' },
        body: [Buffer.from(big.slice(0, 600_000)), Buffer.from(big.slice(600_000))],
      },
      { method: 'GET', headers: BROWSER_HEADERS },
      { method: 'PUT', ...json(pageView()) },
      {
        method: 'OPTIONS',
        headers: { origin: 'https://example.com', 'access-control-request-method': 'POST' },
      },
      { ...json(pageView()), path: '/_tracker/%65vents?site=site-a' },
    ]);
    expect(replies.map((reply) => reply.status)).toEqual([400, 200, 200, 400, 413, 413, 405, 405, 204, 404]);
    expect(replies[4]?.headers.connection).toBe('close');
  });

  it('applies the write key, the rate limit and CORS as the Fetch handler does', async () => {
    const options = {
      apiKey: 'k-1',
      rateLimit: { windowMs: 60_000, max: 3 },
      cors: { origins: ['https://example.com'] },
      siteId: SITE.trackingId,
    } as const;
    const origin = { origin: 'https://example.com' };
    const replies = await expectSameAnswers(options, [
      json(pageView('/no-key'), origin),
      json(pageView('/header-key'), { ...origin, 'x-tracker-key': 'k-1' }),
      {
        ...json(pageView('/query-key'), { origin: 'https://elsewhere.example' }),
        path: '/_tracker/events?key=k-1',
      },
      json(pageView('/third'), { ...origin, 'x-tracker-key': 'k-1' }),
      json(pageView('/limited'), { ...origin, 'x-tracker-key': 'k-1' }),
    ]);
    // A page not listed is refused before the rate limit (it spends none of it), readably.
    expect(replies.map((reply) => reply.status)).toEqual([401, 200, 403, 200, 429]);
    expect(replies[2]?.headers['access-control-allow-origin']).toBe('https://elsewhere.example');
    expect(replies[1]?.headers['access-control-allow-origin']).toBe('https://example.com');
    expect(replies[4]?.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('takes POSTs to the write route only and leaves the rest to the caller', async () => {
    const skopos = createSkopos({
      store: memoryStore({ websites: [SITE] }),
      batch: false,
      logger: silentLogger,
    });
    const writes = createNodeWriteRoute({ skopos, logger: silentLogger, basePath: '/t' });
    const server = createServer((req, res) => {
      if (!writes(req, res)) res.writeHead(299).end('left');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const body = json(pageView('/p', { siteId: SITE.trackingId }));
      expect((await send(origin, { ...body, path: '/t/events' })).status).toBe(200);
      expect((await send(origin, { ...body, path: '/t/events?x=1' })).status).toBe(200);
      for (const path of ['/t', '/t/stats', '/t/./events', '/other/events', '/t/events2']) {
        expect((await send(origin, { ...body, path })).status, path).toBe(299);
      }
      expect((await send(origin, { ...body, method: 'GET', path: '/t/events' })).status).toBe(299);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await skopos.shutdown();
    }
  });
});
