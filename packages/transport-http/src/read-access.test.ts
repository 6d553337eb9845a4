import { nginxDefaultHeaders, rawHttpStatus } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYED_READS, pageView, SITE, startTestServer, type TestServer } from './test-support.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A visitor from elsewhere, as a reverse proxy on this machine that the server trusts names it. */
const REMOTE = { 'x-forwarded-for': '203.0.113.9' };

async function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return (await fetch(url, { headers })).status;
}

describe('read access', () => {
  it('by default answers reads from this machine and refuses others with 401 naming the option', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, trustProxy: 'loopback' });
    expect(await status(server.base)).toBe(200);
    expect(await status(`${server.base}/stats`)).toBe(200);
    const refused = await fetch(server.base, { headers: REMOTE });
    expect(refused.status).toBe(401);
    expect((await refused.json()).error).toContain('readKey');
    expect(await status(`${server.base}/stats`, REMOTE)).toBe(401);
    // Writes and health checks stay open to everybody.
    expect(await status(`${server.base}/ping`, REMOTE)).toBe(200);
    expect((await server.post({ events: [pageView()] }, { headers: REMOTE })).status).toBe(200);
  });

  it('treats a proxy on this machine that it does not trust as somebody else', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    expect(await status(server.base, REMOTE)).toBe(401);
    expect(await status(server.base, { 'x-real-ip': '203.0.113.9' })).toBe(401);
    expect(await status(server.base)).toBe(200);
  });

  it("treats nginx's default proxy_pass (HTTP/1.0, no forwarding header) as somebody else", async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    expect(await rawHttpStatus(`${server.base}/stats`, '1.0', nginxDefaultHeaders(server.base))).toMatch(
      / 401 /,
    );
    expect(await rawHttpStatus(`${server.base}/stats`, '1.1', nginxDefaultHeaders(server.base))).toMatch(
      / 200 /,
    );
  });

  it('treats a page on another name that resolves to this machine as somebody else, whatever its spelling (DNS rebinding)', async () => {
    server = await startTestServer({ siteId: SITE.trackingId });
    const { port } = new URL(server.base);
    const asked = (host: string) =>
      rawHttpStatus(`${server?.base}/stats`, '1.1', [`Host: ${host}`, 'Connection: close']);
    expect(await asked(`localhost:${port}`)).toMatch(/ 200 /);
    expect(await asked('rebind.evil.example')).toMatch(/ 401 /);
    // A name the Node adapter's Host check refuses (an underscore) once passed as localhost.
    expect(await asked('a_b.rebind.evil.example')).toMatch(/ 401 /);
  });

  it('with a readKey, requires it from everybody, in X-Tracker-Key or as a bearer token', async () => {
    server = await startTestServer({ ...KEYED_READS, apiKey: 'w-key' });
    expect(await status(server.base)).toBe(401);
    expect(await status(server.base, { 'x-tracker-key': 'w-key' })).toBe(401);
    expect(await status(server.base, { ...REMOTE, 'x-tracker-key': 'r-key' })).toBe(200);
    expect(await status(`${server.base}/stats`, { ...REMOTE, authorization: 'Bearer r-key' })).toBe(200);
    // The read key does not write.
    expect(
      (await server.post({ events: [pageView()] }, { headers: { 'x-tracker-key': 'r-key' } })).status,
    ).toBe(401);
  });

  it('without a readKey, the write key opens reads (as vite-plugin-monitor does)', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, trustProxy: 'loopback', apiKey: 'w-key' });
    expect(await status(server.base, { ...REMOTE, 'x-tracker-key': 'w-key' })).toBe(200);
    expect(await status(server.base, REMOTE)).toBe(401);
  });

  it('lets an authorizeRead hook open reads, and counts a throwing hook as no', async () => {
    server = await startTestServer({
      siteId: SITE.trackingId,
      trustProxy: 'loopback',
      authorizeRead: (request) => {
        const cookie = request.headers.get('cookie') ?? '';
        if (cookie.includes('boom')) throw new Error('session store down');
        return cookie.includes('role=admin');
      },
    });
    expect(await status(server.base, { ...REMOTE, cookie: 'role=admin' })).toBe(200);
    expect(await status(server.base, { ...REMOTE, cookie: 'role=guest' })).toBe(401);
    expect(await status(server.base, { ...REMOTE, cookie: 'boom' })).toBe(401);
    // A hook adds readers: this machine still reads without it.
    expect(await status(server.base)).toBe(200);
  });

  it('reads: false removes the read routes and keeps writing', async () => {
    server = await startTestServer({ siteId: SITE.trackingId, reads: false });
    expect(await status(server.base)).toBe(404);
    expect(await status(`${server.base}/stats`)).toBe(404);
    expect((await server.post({ events: [pageView()] })).status).toBe(200);
  });
});
