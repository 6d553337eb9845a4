import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hardenServer, type ServerLimits } from './harden-server.ts';
import { maxConnectionsFor, type ServerLimitOptions } from './server-limits.ts';

let server: Server | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function start(options: ServerLimitOptions): Promise<{ port: number; counts: ServerLimits }> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  const counts = hardenServer(server, options);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, counts };
}

/** A socket that says nothing; resolves with what the server sent once the server closed it. */
function idle(port: number, localAddress = '127.0.0.1'): { socket: Socket; closed: Promise<string> } {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed };
}

function get(port: number, localAddress: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', localAddress, path: '/', agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

const TLS = {
  cert: readFileSync(new URL('./test-fixtures/localhost-cert.pem', import.meta.url)),
  key: readFileSync(new URL('./test-fixtures/localhost-key.pem', import.meta.url)),
};

/** A hardened HTTP or HTTPS server on 127.0.0.1 (kept in `server` for afterEach); answers its port. */
async function listenWith(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ServerLimitOptions,
  scheme: 'http' | 'https',
): Promise<number> {
  server = scheme === 'https' ? createHttpsServer(TLS, handler) : createServer(handler);
  hardenServer(server, options);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A raw client socket (TLS for https), connected. */
async function connectTo(port: number, scheme: 'http' | 'https'): Promise<Socket> {
  const socket =
    scheme === 'https'
      ? tlsConnect({ port, host: '127.0.0.1', ca: TLS.cert })
      : connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once(scheme === 'https' ? 'secureConnect' : 'connect', resolve));
  return socket;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('hardenServer', () => {
  it('refuses the 65th connection from one address with 503, still serving another address', async () => {
    const { port, counts } = await start({});
    expect(counts.settings).toMatchObject({ maxConnectionsPerIp: 64, headersTimeoutMs: 10_000 });
    const opened = Array.from({ length: 200 }, () => idle(port));
    const refusals: string[] = [];
    for (const { closed } of opened) void closed.then((received) => refusals.push(received));
    await until(() => refusals.length === 136);
    expect(counts).toMatchObject({ open: 64, refused: 136 });
    expect(refusals.every((answer) => answer.startsWith('HTTP/1.1 503 Service Unavailable\r\n'))).toBe(true);
    expect(refusals[0]).toMatch(/\r\nConnection: close\r\n/);
    expect(refusals[0]).toMatch(/\r\nRetry-After: 5\r\n/);
    // Another client (127.0.0.2 is this machine too) is served while 127.0.0.1 holds its 64.
    expect(await get(port, '127.0.0.2')).toEqual({ status: 200, body: 'ok' });
    // A refused socket took no slot: closing one admitted socket lets exactly one more in.
    opened[0]?.socket.destroy();
    await until(() => counts.open === 63);
    const next = idle(port);
    await until(() => counts.open === 64);
    const after = idle(port);
    expect(await after.closed).toMatch(/^HTTP\/1\.1 503/);
    expect(next.socket.destroyed).toBe(false);
    expect(counts.open).toBe(64);
  });

  it('caps connections in all, across addresses', async () => {
    const { port, counts } = await start({ maxConnections: 3, maxConnectionsPerIp: 0 });
    const first = ['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((address) => idle(port, address));
    const fourth = idle(port, '127.0.0.4');
    expect(await fourth.closed).toMatch(/^HTTP\/1\.1 503/);
    expect(counts.open).toBe(3);
    expect(first.every(({ socket }) => !socket.destroyed)).toBe(true);
  });

  it('closes a slow body at requestTimeout and a silent socket at headersTimeout, with 408', async () => {
    const { port } = await start({ headersTimeoutMs: 200, requestTimeoutMs: 400 });
    const started = Date.now();
    const slow = idle(port);
    slow.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"events":[');
    const silent = idle(port);
    const [slowAnswer, silentAnswer] = await Promise.all([slow.closed, silent.closed]);
    expect(slowAnswer).toMatch(/^HTTP\/1\.1 408/);
    expect(silentAnswer).toMatch(/^HTTP\/1\.1 408/);
    // Node checks deadlines on a timer; hardenServer runs it at a quarter of the shortest deadline.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('must run before listen, once, with usable values', async () => {
    const { port } = await start({});
    expect(port).toBeGreaterThan(0);
    expect(() => hardenServer(server as Server)).toThrow(/before server\.listen\(\)/);
    expect(() => hardenServer(createServer(), { maxConnectionsPerIp: -1 })).toThrow(/maxConnectionsPerIp/);
    expect(() => hardenServer(createServer(), { headersTimeoutMs: 5000, requestTimeoutMs: 1000 })).toThrow(
      /must not exceed requestTimeoutMs/,
    );
    const twice = createServer();
    hardenServer(twice);
    expect(() => hardenServer(twice)).toThrow(/already hardened/);
  });

  it('drops a client that reads nothing of an answer for stalledWriteMs; one that reads gets it all', async () => {
    const answer = Buffer.alloc(32 * 1024 * 1024, 'a');
    const served = new Map<string | undefined, Socket>();
    server = createServer((req, res) => {
      served.set(req.socket.remoteAddress, req.socket);
      res.end(answer);
    });
    hardenServer(server, { stalledWriteMs: 300 });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stalled = idle(port);
    stalled.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    stalled.socket.pause();
    const reader = await get(port, '127.0.0.2');
    expect([reader.status, reader.body.length]).toEqual([200, answer.length]);
    await vi.waitFor(() => expect(served.get('127.0.0.1')?.destroyed).toBe(true), { timeout: 10_000 });
    // What the stalled client gets once it reads again: the start of the answer, then the close.
    stalled.socket.resume();
    const received = await stalled.closed;
    expect(received.length).toBeLessThan(answer.length);
    expect(() => hardenServer(createServer(), { stalledWriteMs: -1 })).toThrow(/stalledWriteMs/);
  });

  it.each(['http', 'https'] as const)(
    'keeps a client that reads a large answer slowly (%s): output leaving is progress',
    async (scheme) => {
      // One write of 64 MB: Node's public counters stand still until it is all out.
      const answer = Buffer.alloc(64 * 1024 * 1024, 'b');
      const port = await listenWith((_req, res) => res.end(answer), { stalledWriteMs: 300 }, scheme);
      const slow = await connectTo(port, scheme);
      let received = 0;
      slow.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      slow.pause();
      slow.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
      // Reads in short bursts, a sixth of stalledWriteMs apart: the whole answer takes several of it.
      const started = Date.now();
      const bursts = setInterval(() => {
        slow.resume();
        setTimeout(() => slow.pause(), 1);
      }, 50);
      await new Promise<void>((resolve) => slow.once('close', () => resolve()));
      clearInterval(bursts);
      expect(received).toBeGreaterThan(answer.length);
      expect(Date.now() - started, 'the read took longer than stalledWriteMs').toBeGreaterThan(300);
    },
  );

  it.each([
    ['http', 'bytes'],
    ['http', 'text'],
    ['https', 'text'],
  ] as const)(
    'drops a stalled client the server keeps writing to (%s, %s: a feed, pings): more queued is not progress',
    async (scheme, kind) => {
      let feed: Socket | undefined;
      // Text of two-byte characters: Node counts a string's characters in writableLength, its bytes elsewhere.
      const chunk = kind === 'bytes' ? Buffer.alloc(64 * 1024, 'c') : 'é'.repeat(32 * 1024);
      const port = await listenWith(
        (req, res) => {
          feed = req.socket;
          res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
          const ticks = setInterval(() => res.write(chunk), 20);
          res.once('close', () => clearInterval(ticks));
        },
        { stalledWriteMs: 300 },
        scheme,
      );
      const stalled = await connectTo(port, scheme);
      stalled.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      stalled.pause();
      await vi.waitFor(() => expect(feed?.destroyed).toBe(true), { timeout: 10_000 });
    },
  );

  it('keeps an eighth of a low ulimit free', () => {
    expect(maxConnectionsFor(1024)).toBe(896);
    expect(maxConnectionsFor(65_536)).toBe(4096);
    expect(maxConnectionsFor(undefined)).toBe(4096);
  });
});
