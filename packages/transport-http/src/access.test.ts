import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

describe('X-Tracker-Key', () => {
  it('answers 401 without the key or with a wrong one on the write and read routes, 200 with the right one', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, apiKey: 's3cret-key' });
    // Health checks carry no key.
    expect((await fetch(`${server.base}/ping`)).status).toBe(200);
    for (const path of ['', '/stats']) {
      expect((await fetch(`${server.base}${path}`)).status, path).toBe(401);
      const wrong = await fetch(`${server.base}${path}`, { headers: { 'x-tracker-key': 's3cret-kex' } });
      expect(wrong.status, path).toBe(401);
      const right = await fetch(`${server.base}${path}`, { headers: { 'x-tracker-key': 's3cret-key' } });
      expect(right.status, path).toBe(200);
    }
    expect((await server.post({ events: [pageView()] })).status).toBe(401);
    expect(
      (await server.post({ events: [pageView()] }, { headers: { 'x-tracker-key': 's3cret' } })).status,
    ).toBe(401);
    const ok = await server.post({ events: [pageView()] }, { headers: { 'x-tracker-key': 's3cret-key' } });
    expect(ok.status).toBe(200);
  });

  it('takes ?key= (sendBeacon cannot set headers) on the write route only, and the header first', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, apiKey: 's3cret-key' });
    const beacon = { raw: true, headers: { 'content-type': 'text/plain' } };
    const body = JSON.stringify({ events: [pageView('/beacon')] });
    expect((await server.post(body, { ...beacon, path: '/events?key=s3cret-key' })).status).toBe(200);
    expect((await server.post(body, { ...beacon, path: '/events?key=s3cret-kex' })).status).toBe(401);
    const wrongHeader = { ...beacon, path: '/events?key=s3cret-key', headers: { 'x-tracker-key': 'nope' } };
    expect((await server.post(body, wrongHeader)).status).toBe(401);
    expect((await fetch(`${server.base}?key=s3cret-key`)).status).toBe(401);
    expect((await fetch(`${server.base}/stats?key=s3cret-key`)).status).toBe(401);
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin, reflecting it, and no other', async () => {
    server = await startTestServer({
      siteId: SITE.trackingId,
      apiKey: 'k',
      cors: { origins: ['https://app.example.com'] },
    });
    const preflight = (origin: string) =>
      fetch(`${server.base}/events`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-tracker-key',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-tracker-key');
    // The read routes answer the listed origins only.
    const readPreflight = await fetch(`${server.base}/stats`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'GET' },
    });
    expect(readPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(readPreflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('lets a listed page send a Bearer read key and read Retry-After of a 429', async () => {
    server = await startTestServer({
      siteId: SITE.trackingId,
      readKey: 'r-key',
      trustProxy: 'loopback',
      cors: { origins: ['https://app.example.com'] },
    });
    const origin = 'https://app.example.com';
    const preflight = await fetch(server.base, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const guesser = { origin, 'x-forwarded-for': '203.0.113.5' };
    for (let i = 0; i < 10; i++)
      await fetch(server.base, { headers: { ...guesser, authorization: `Bearer g${i}` } });
    const limited = await fetch(server.base, { headers: { ...guesser, authorization: 'Bearer g10' } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // Without this a page's script reads Retry-After as null and retries at its own pace.
    expect(limited.headers.get('access-control-expose-headers')).toBe('Retry-After');
    const ok = await fetch(server.base, { headers: { origin, authorization: 'Bearer r-key' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-expose-headers')).toBe('Retry-After');
  });

  it('adds the allowed origin to real answers, errors included, and nothing without cors options', async () => {
    server = await startTestServer({
      siteId: SITE.trackingId,
      cors: { origins: ['https://app.example.com'] },
    });
    const ok = await server.post(
      { events: [pageView()] },
      { headers: { origin: 'https://app.example.com' } },
    );
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('vary')).toContain('Origin');
    const bad = await server.post('{', { raw: true, headers: { origin: 'https://app.example.com' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    // A write from a page not listed (a `www.` next to the apex) is refused, readably: an answer the
    // page cannot read makes a tracker take it for a network failure and send it again and again.
    const other = await server.post(
      { events: [pageView()] },
      { headers: { origin: 'https://www.app.example.com' } },
    );
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: string }).error).toContain('cors.origins');
    expect(other.headers.get('access-control-allow-origin')).toBe('https://www.app.example.com');
    const sandboxed = await server.post({ events: [pageView()] }, { headers: { origin: 'null' } });
    expect(sandboxed.status).toBe(403);
    expect((await server.skopos.query({})).total, 'only the listed page’s event is stored').toBe(1);
    // Servers and tools send no Origin, and the server's own pages need no place in the list.
    expect((await server.post({ events: [pageView()] })).status).toBe(200);
    const ownPage = await server.post({ events: [pageView()] }, { headers: { origin: server.origin } });
    expect(ownPage.status).toBe(200);
    const otherPreflight = await fetch(`${server.base}/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://www.app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBe('https://www.app.example.com');
    // Reads stay with the listed origins.
    const otherRead = await fetch(server.base, { headers: { origin: 'https://www.app.example.com' } });
    expect(otherRead.headers.get('access-control-allow-origin')).toBeNull();
    await server.close();

    server = await startTestServer({ siteId: SITE.trackingId });
    // Without cors options any page may post events, and nothing else crosses origins.
    const plain = await server.post(
      { events: [pageView()] },
      { headers: { origin: 'https://app.example.com' } },
    );
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(plain.headers.get('access-control-allow-credentials')).toBe('true');
    // Another site's page in this machine's browser is not a local reader: refused, and not shared.
    const read = await fetch(server.base, { headers: { origin: 'https://app.example.com' } });
    expect(read.status).toBe(401);
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('echoes any origin when origins is "*", with credentials on the write route only', async () => {
    server = await startTestServer({ cors: { origins: '*' } });
    const response = await fetch(`${server.base}/ping`, { headers: { origin: 'http://localhost:5173' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-credentials'), 'reads never take cookies').toBeNull();
    expect(response.headers.get('vary')).toContain('Origin');
    const write = await beaconPreflight(`${server.base}/events`, 'http://localhost:5173');
    expectCredentialedGrant(write, 'http://localhost:5173');
    // A sandboxed page's "null" origin is shared by many pages: never echoed with credentials.
    const sandboxed = await fetch(`${server.base}/ping`, { headers: { origin: 'null' } });
    expect(sandboxed.headers.get('access-control-allow-origin')).toBe('*');
    expect(sandboxed.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

/** The preflight Chromium sends before `navigator.sendBeacon(url, new Blob([json], { type: 'application/json' }))`. */
function beaconPreflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
      'sec-fetch-mode': 'cors',
    },
  });
}

function expectCredentialedGrant(response: Response, origin: string): void {
  expect(response.status).toBe(204);
  expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  expect(response.headers.get('vary')).toContain('Origin');
}

describe('a credentialed beacon (vite-plugin-monitor on a hidden page)', () => {
  it('passes the preflight and the POST for any origin on the write route, reads for listed ones only', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, cors: { origins: ['https://example.com'] } });
    expectCredentialedGrant(
      await beaconPreflight(`${server.base}/events`, 'https://example.com'),
      'https://example.com',
    );
    expectCredentialedGrant(
      await beaconPreflight(`${server.base}/events`, 'https://www.example.com'),
      'https://www.example.com',
    );
    const denied = await beaconPreflight(server.base, 'https://www.example.com');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-credentials')).toBeNull();
    const beacon = await server.post(
      {
        type: 'ingest',
        events: [{ type: 'navigation', payload: { from: '/', to: '/docs' }, meta: { route: '/docs' } }],
      },
      { headers: { origin: 'https://example.com', cookie: 'session=1' } },
    );
    expect(beacon.status).toBe(200);
    expect(beacon.headers.get('access-control-allow-origin')).toBe('https://example.com');
    expect(beacon.headers.get('access-control-allow-credentials')).toBe('true');
    expect(((await beacon.json()) as { accepted: number }).accepted).toBe(1);
  });

  it('without cors options, passes for any origin on the write route only', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    expectCredentialedGrant(
      await beaconPreflight(`${server.base}/events`, 'http://localhost:5173'),
      'http://localhost:5173',
    );
    const read = await beaconPreflight(server.base, 'http://localhost:5173');
    expect(read.headers.get('access-control-allow-origin')).toBeNull();
  });
});
