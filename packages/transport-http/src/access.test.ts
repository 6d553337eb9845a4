import { afterEach, describe, expect, it } from 'vitest';
import { pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer;

afterEach(async () => {
  await server.close();
});

describe('X-Tracker-Key', () => {
  it('answers 401 without the key or with a wrong one on every route, 200 with the right one', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, apiKey: 's3cret-key' });
    for (const path of ['', '/stats', '/ping']) {
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
    const denied = await preflight('https://evil.example.net');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-methods')).toBeNull();
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
    const other = await server.post(
      { events: [pageView()] },
      { headers: { origin: 'https://evil.example.net' } },
    );
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    await server.close();

    server = await startTestServer({ siteId: SITE.trackingId });
    const plain = await server.post(
      { events: [pageView()] },
      { headers: { origin: 'https://app.example.com' } },
    );
    expect(plain.status).toBe(200);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers any origin with * when origins is "*"', async () => {
    server = await startTestServer({ cors: { origins: '*' } });
    const response = await fetch(`${server.base}/ping`, { headers: { origin: 'http://localhost:5173' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
