import { silentLogger } from '@skopos/core';
import { nginxDefaultHeaders, rawHttpStatus } from '@skopos/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunningServer } from './options.ts';
import { startServer } from './start-server.ts';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A visitor from elsewhere, named by the reverse proxy on this machine that `trustProxy` trusts. */
const REMOTE = { 'x-forwarded-for': '203.0.113.9' };

async function status(url: string, headers: Record<string, string> = {}): Promise<number> {
  return (await fetch(url, { headers })).status;
}

/** Signs in to the dashboard as a browser would (a form POST from its own page) and answers the cookie. */
async function signIn(running: RunningServer, password: string): Promise<string | null> {
  const dashboard = running.endpoints.dashboard as string;
  const answer = await fetch(`${dashboard}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...REMOTE, 'content-type': 'application/x-www-form-urlencoded', origin: running.url },
    body: new URLSearchParams({ password }).toString(),
  });
  const cookie = answer.headers.get('set-cookie');
  return cookie === null ? null : (cookie.split(';')[0] ?? null);
}

/** The first answer to a `query` on a WebSocket opened with `headers`. */
async function wsQuery(url: string, headers: Record<string, string>): Promise<string> {
  const socket = new WebSocket(url, { headers });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const answer = new Promise<string>((resolve) =>
    socket.once('message', (data) => resolve((JSON.parse(String(data)) as { type: string }).type)),
  );
  socket.send(JSON.stringify({ type: 'query', reqId: 'q' }));
  const type = await answer;
  socket.close();
  return type;
}

describe('skopos serve: who may read', () => {
  it('refuses to serve a dashboard without a login beyond loopback or with a key, naming the flag', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', logger: silentLogger })).rejects.toThrow(
      /--dashboard-password/,
    );
    await expect(startServer({ port: 0, apiKey: 'w', logger: silentLogger })).rejects.toThrow(
      /dashboard needs a login because its reads need a key/,
    );
    server = await startServer({ port: 0, host: '0.0.0.0', dashboard: false, logger: silentLogger });
    expect(server.endpoints.dashboard).toBeUndefined();
  });

  it('with a password, a signed-in browser reads over HTTP and WebSocket; a visitor elsewhere does not', async () => {
    server = await startServer({
      port: 0,
      trustProxy: 'loopback',
      dashboard: { password: 'correct horse' },
      logger: silentLogger,
    });
    const { read, stats, websocket } = server.endpoints;
    expect(await status(read, REMOTE)).toBe(401);
    expect(await signIn(server, 'wrong')).toBeNull();
    const cookie = await signIn(server, 'correct horse');
    expect(cookie).toMatch(/^skopos_session=/);
    expect(await status(read, { ...REMOTE, cookie: cookie as string })).toBe(200);
    expect(await status(stats, { ...REMOTE, cookie: cookie as string })).toBe(200);
    expect(await wsQuery(websocket, { ...REMOTE, cookie: cookie as string })).toBe('result');
    expect(await wsQuery(websocket, REMOTE)).toBe('error');
    // The cookie comes from the dashboard's own page, not from another origin's.
    const own = new URL(server.url).origin;
    expect(await wsQuery(websocket, { ...REMOTE, cookie: cookie as string, origin: own })).toBe('result');
    // The page holds neither the password nor a key.
    const page = await fetch(`${server.endpoints.dashboard}/`, {
      headers: { ...REMOTE, cookie: cookie as string },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('correct horse');
  });

  it('over WebSocket, takes the dashboard cookie only from its own origin, not from pages --cors-origin lists', async () => {
    const page = 'https://www.example.com';
    server = await startServer({
      port: 0,
      trustProxy: 'loopback',
      dashboard: { password: 'pw-origins' },
      cors: { origins: [page] },
      logger: silentLogger,
    });
    const cookie = (await signIn(server, 'pw-origins')) as string;
    const { websocket, read } = server.endpoints;
    expect(await wsQuery(websocket, { ...REMOTE, cookie, origin: new URL(server.url).origin })).toBe(
      'result',
    );
    // Same site, so the browser sends the cookie; a script there must not read with it.
    expect(await wsQuery(websocket, { ...REMOTE, cookie, origin: page })).toBe('error');
    // Over HTTP the listed page reads only as any client would: CORS without credentials.
    const answer = await fetch(read, { headers: { ...REMOTE, origin: page } });
    expect(answer.status).toBe(401);
  });

  it('with a shared sessionSecret, a sign-in on one server opens reads on another (several processes, restarts)', async () => {
    const dashboard = { password: 'pw-shared', sessionSecret: 'one secret for every process, 32+' };
    server = await startServer({ port: 0, trustProxy: 'loopback', dashboard, logger: silentLogger });
    const other = await startServer({ port: 0, trustProxy: 'loopback', dashboard, logger: silentLogger });
    try {
      const cookie = (await signIn(server, 'pw-shared')) as string;
      expect(await status(other.endpoints.read, { ...REMOTE, cookie })).toBe(200);
    } finally {
      await other.close();
    }
  });

  it("without a key, nginx's default proxy_pass (HTTP/1.0, no X-Forwarded-For) does not make visitors local", async () => {
    server = await startServer({ port: 0, logger: silentLogger });
    const nginx = nginxDefaultHeaders(server.url);
    expect(await rawHttpStatus(server.endpoints.stats, '1.0', nginx)).toMatch(/^HTTP\/1\.1 401 /);
    // curl on this machine speaks HTTP/1.1: it still reads without a key.
    expect(await rawHttpStatus(server.endpoints.stats, '1.1', nginx)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('with a read key, the write key no longer reads and the read key does', async () => {
    server = await startServer({
      port: 0,
      apiKey: 'w-key',
      readKey: 'r-key',
      dashboard: { password: 'pw-1234' },
      logger: silentLogger,
    });
    expect(await status(server.endpoints.read, { 'x-tracker-key': 'w-key' })).toBe(401);
    expect(await status(server.endpoints.read, { 'x-tracker-key': 'r-key' })).toBe(200);
  });
});
