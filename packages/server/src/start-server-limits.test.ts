import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { silentLogger } from '@skopos/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer, StartServerOptions } from './options.ts';
import { startServer } from './start-server.ts';
import { BROWSER_HEADERS, batchOf } from './test-support.ts';

let server: RunningServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await server?.close();
  server = undefined;
});

async function start(options: StartServerOptions = {}): Promise<RunningServer> {
  server = await startServer({ port: 0, logger: silentLogger, ...options });
  return server;
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { ...BROWSER_HEADERS, ...headers }, body });
}

/** A socket that sends `first` (or nothing); resolves with what the server sent once it closed. */
function rawSocket(url: string, first?: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname, () => {
    if (first !== undefined) socket.write(first);
  });
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

/** A GET from another address of this machine (127.0.0.2), as another client. */
function statusFrom(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { localAddress, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('startServer limits', () => {
  it('refuses the 65th idle connection from one address with 503 while another client is served', async () => {
    const running = await start();
    const answers: string[] = [];
    for (let i = 0; i < 200; i++) void rawSocket(running.url).then((answer) => answers.push(answer));
    await until(() => answers.length === 136);
    expect(running.limits.open).toBe(64);
    expect(
      answers.every((answer) =>
        /^HTTP\/1\.1 503 .*\r\nConnection: close\r\nRetry-After: 5\r\n/s.test(answer),
      ),
    ).toBe(true);
    expect(await statusFrom(running.endpoints.ping, '127.0.0.2')).toBe(200);
  });

  it('closes a body that does not arrive within requestTimeoutMs with 408', async () => {
    const running = await start({ connections: { headersTimeoutMs: 200, requestTimeoutMs: 400 } });
    const started = Date.now();
    const answer = await rawSocket(
      running.url,
      'POST /_tracker/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"events":[',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(running.limits.open).toBe(0);
  });

  it('honours rateLimit, and turns it off with false', async () => {
    const limited = await start({ rateLimit: { max: 3, windowMs: 60_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await post(limited.endpoints.write, batchOf([`/${i}`], 'app'))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const last = await post(limited.endpoints.write, batchOf(['/x'], 'app'));
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    await limited.close();
    const open = await start({ rateLimit: false });
    const statusesOff = new Set<number>();
    // 20 at a time: more parallel sockets than the per-address connection cap would be refused.
    for (let i = 0; i < 620; i += 20) {
      const batch = Array.from({ length: 20 }, (_, j) =>
        post(open.endpoints.write, batchOf([`/${i + j}`], 'app')),
      );
      for (const response of await Promise.all(batch)) statusesOff.add(response.status);
    }
    expect([...statusesOff]).toEqual([200]);
  });

  it('trustProxy: the forwarded client is the visitor and the rate-limit key', async () => {
    const running = await start({ trustProxy: 'loopback', rateLimit: { max: 2, windowMs: 60_000 } });
    const from = (ip: string, path: string) =>
      post(running.endpoints.write, batchOf([path], 'xff'), { 'x-forwarded-for': ip });
    expect((await from('198.51.100.1', '/a')).status).toBe(200);
    expect((await from('198.51.100.1', '/b')).status).toBe(200);
    expect((await from('198.51.100.1', '/c')).status).toBe(429);
    expect((await from('198.51.100.2', '/d')).status).toBe(200);
    await running.skopos.flush();
    const stats = await running.skopos.stats({ since: 0, until: Date.now() + 1000 });
    expect(stats.visitors).toBe(2);
  });

  it('passes maxEventsPerSite to the memory store', async () => {
    const running = await start({ maxEventsPerSite: 2 });
    await post(running.endpoints.write, batchOf(['/1', '/2', '/3', '/4'], 'busy'));
    await post(running.endpoints.write, batchOf(['/q'], 'quiet'));
    const total = async (site: string) =>
      ((await (await fetch(`${running.endpoints.read}?site=${site}`)).json()) as { total: number }).total;
    expect([await total('busy'), await total('quiet')]).toEqual([2, 1]);
  });

  it('lets any origin write but keeps reads and stats same-origin unless cors names the origin', async () => {
    const page = 'https://shop.example';
    const running = await start();
    const write = await post(running.endpoints.write, batchOf(['/'], 'app'), { origin: page });
    expect(write.headers.get('access-control-allow-origin')).toBe(page);
    expect(write.headers.get('access-control-allow-credentials')).toBe('true');
    for (const url of [`${running.endpoints.read}?site=app`, `${running.endpoints.stats}?site=app`]) {
      // Another site's script in a browser on this machine reads nothing, and is not let in by CORS.
      const read = await fetch(url, { headers: { origin: 'https://evil.example' } });
      expect(read.status).toBe(401);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    }
    await running.close();
    const listed = await start({ cors: { origins: [page] } });
    const read = await fetch(listed.endpoints.read, { headers: { origin: page } });
    expect(read.headers.get('access-control-allow-origin')).toBe(page);
    const other = await fetch(listed.endpoints.read, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('drops readers that stop reading a whole-window answer, so that others can read again', async () => {
    const running = await start({
      sites: [{ trackingId: 'big', domain: 'example.com' }],
      // Long enough that the full slots are seen before the stalled readers are dropped, even on a
      // loaded machine (the drop needs that long without progress once their buffers are full).
      connections: { stalledWriteMs: 5000 },
    });
    // About 30 MB to read back: more than the kernel's socket buffers take for a client that reads nothing.
    const request = { headers: BROWSER_HEADERS, remoteAddress: '203.0.113.40' };
    const pad = 'x'.repeat(1200);
    for (let i = 0; i < 20_000; i++) {
      const payload = { type: 'pageView', url: `https://example.com/p${i}`, customData: { pad } };
      await running.skopos.track({ siteId: 'big', payload, request });
    }
    await running.skopos.flush();
    const read = `${running.endpoints.read}?site=big`;
    const { hostname, port } = new URL(read);
    // Four readers (the whole-window reads served at once) that send their GET and read nothing.
    let begun = 0;
    for (let i = 0; i < 4; i++) {
      const socket = connect(Number(port), hostname, () => {
        socket.write(`GET /_tracker?site=big HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
      });
      // The first bytes say the answer began (the reader holds its place); then it stops reading.
      socket.once('data', () => {
        socket.pause();
        begun += 1;
      });
      socket.on('error', () => {});
      sockets.push(socket);
    }
    await vi.waitFor(() => expect(begun).toBe(4), { timeout: 10_000 });
    const status = async (): Promise<number> => {
      const response = await fetch(read);
      // A probe that got in must not hold a place itself.
      await response.body?.cancel();
      return response.status;
    };
    expect(await status()).toBe(503);
    // Once they have read nothing for stalledWriteMs, they are dropped and their places freed.
    await vi.waitFor(async () => expect(await status()).toBe(200), { timeout: 30_000, interval: 100 });
    expect(running.limits.settings.stalledWriteMs).toBe(5000);
  }, 60_000);

  it('behind a trusted proxy the cap per address is off unless set (every connection is the proxy)', async () => {
    expect((await start({ trustProxy: 'loopback' })).limits.settings.maxConnectionsPerIp).toBe(0);
    await server?.close();
    const capped = await start({ trustProxy: 'loopback', connections: { maxConnectionsPerIp: 500 } });
    expect(capped.limits.settings.maxConnectionsPerIp).toBe(500);
    await server?.close();
    expect((await start()).limits.settings.maxConnectionsPerIp).toBe(64);
  });
});
