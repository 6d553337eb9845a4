import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE_POLICY_VIOLATION } from './protocol.ts';
import { openRaw } from './test-raw-client.ts';
import { BROWSER_HEADERS, startWsTestServer, type WsTestServer } from './test-support.ts';

let server: WsTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A tool's upgrade headers; `x-forwarded-for` makes it a visitor from elsewhere behind a proxy on this machine. */
const { origin: _page, ...TOOL } = BROWSER_HEADERS;
const REMOTE = { ...TOOL, 'x-forwarded-for': '203.0.113.9' };

/** Sends `messages` in order and answers each answer's type (errors with the start of their reason). */
async function converse(
  url: string,
  headers: Record<string, string>,
  messages: object[],
  expected: number,
): Promise<string[]> {
  const socket = new WebSocket(url, { headers });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const received: string[] = [];
  const done = new Promise<void>((resolve) => {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; reason?: string };
      received.push(message.type === 'error' ? `error: ${message.reason?.split(':')[0]}` : message.type);
      if (received.length === expected) resolve();
    });
    socket.on('close', () => resolve());
  });
  for (const message of messages) socket.send(JSON.stringify(message));
  await done;
  socket.close();
  return received;
}

const ingest = { type: 'ingest', id: 1, events: [{ type: 'pageView', url: 'https://example.com/' }] };
const query = { type: 'query', reqId: 'q' };
const eventsQuery = { type: 'events:query', reqId: 'e', payload: {} };

describe('WebSocket read access', () => {
  it('by default lets this machine read and refuses a client elsewhere, naming the option; writes stay open', async () => {
    server = await startWsTestServer({ reads: true });
    expect(await converse(server.url, TOOL, [ingest, query, eventsQuery], 3)).toEqual([
      'ack',
      'result',
      'events:response',
    ]);
    const remote = await converse(server.url, REMOTE, [ingest, query, eventsQuery], 3);
    expect(remote[0]).toBe('ack');
    expect(remote.slice(1)).toEqual([
      'error: reads answer only this machine until a credential is configured',
      'error: reads answer only this machine until a credential is configured',
    ]);
  });

  it('opens reads with the read key in auth, which does not write on a server with a write key', async () => {
    server = await startWsTestServer({ apiKey: 'w-key', readKey: 'r-key' });
    const reader = await converse(server.url, REMOTE, [{ type: 'auth', key: 'r-key' }, query, ingest], 3);
    expect(reader).toEqual(['auth_ok', 'result', 'error: this connection may not write']);
    const writer = await converse(server.url, REMOTE, [{ type: 'auth', key: 'w-key' }, ingest, query], 3);
    expect(writer[0]).toBe('auth_ok');
    expect(writer[1]).toBe('ack');
    expect(writer[2]).toMatch(/^error: reading needs a credential$/);
    // A key that opens nothing ends the connection.
    expect(await converse(server.url, REMOTE, [{ type: 'auth', key: 'nope' }], 1)).toEqual([
      'error: invalid API key',
    ]);
  });

  it('with only a readKey, ends a connection whose auth key opens nothing (error, then 1008), as with a write key', async () => {
    server = await startWsTestServer({ readKey: 'r-key' });
    const guesser = await openRaw(server.url, { headers: REMOTE });
    guesser.send({ type: 'auth', key: 'wrong' });
    expect(await guesser.next()).toMatchObject({ type: 'error', reason: 'invalid API key' });
    expect(await guesser.closed).toEqual({ code: CLOSE_POLICY_VIOLATION, reason: 'invalid API key' });
    // The read key opens reads; writing needs no key here, with or without auth.
    expect(await converse(server.url, REMOTE, [{ type: 'auth', key: 'r-key' }, query, ingest], 3)).toEqual([
      'auth_ok',
      'result',
      'ack',
    ]);
    expect(await converse(server.url, REMOTE, [ingest], 1)).toEqual(['ack']);
  });

  it('takes a read key from a tool in the upgrade headers', async () => {
    server = await startWsTestServer({ readKey: 'r-key' });
    expect(await converse(server.url, { ...REMOTE, 'x-tracker-key': 'r-key' }, [query], 1)).toEqual([
      'result',
    ]);
    expect(await converse(server.url, TOOL, [query], 1)).toEqual(['error: reading needs a credential']);
  });

  it('lets a reader the upgrade vouched for (read key header, dashboard cookie) read with a write key set, without auth, and not write', async () => {
    server = await startWsTestServer({
      apiKey: 'w-key',
      readKey: 'r-key',
      authorizeRead: (request) => request.headers.cookie === 'session=ok',
    });
    expect(await converse(server.url, { ...REMOTE, 'x-tracker-key': 'r-key' }, [query, ingest], 2)).toEqual([
      'result',
      'error: this connection may not write',
    ]);
    expect(await converse(server.url, { ...REMOTE, cookie: 'session=ok' }, [query], 1)).toEqual(['result']);
  });

  it('runs authorizeRead on the upgrade request', async () => {
    server = await startWsTestServer({ authorizeRead: (request) => request.headers.cookie === 'session=ok' });
    expect(await converse(server.url, { ...REMOTE, cookie: 'session=ok' }, [query], 1)).toEqual(['result']);
    expect(await converse(server.url, { ...REMOTE, cookie: 'session=no' }, [query], 1)).toEqual([
      'error: reading needs a credential',
    ]);
  });

  it('survives a client that resets its connection while an async authorizeRead runs, and serves the next one', async () => {
    let upgrade: IncomingMessage | undefined;
    let release: (allowed: boolean) => void = () => undefined;
    server = await startWsTestServer({
      // The first upgrade's check waits until the test releases it; later ones answer at once.
      authorizeRead: (request) => {
        if (upgrade !== undefined) return Promise.resolve(true);
        upgrade = request;
        return new Promise<boolean>((resolve) => {
          release = resolve;
        });
      },
    });
    const { port } = server;
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    client.on('error', () => undefined);
    const head = Object.entries({ ...REMOTE, host: `127.0.0.1:${port}` })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    client.write(
      `GET /_tracker/ws HTTP/1.1\r\n${head}connection: Upgrade\r\nupgrade: websocket\r\nsec-websocket-version: 13\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    await vi.waitFor(() => expect(upgrade).toBeDefined());
    const serverSide = (upgrade as IncomingMessage).socket;
    const ended = new Promise<void>((resolve) => serverSide.once('close', () => resolve()));
    client.resetAndDestroy();
    // Without a listener the reset is an unhandled 'error' that ends the process (and this run).
    await ended;
    release(true);
    expect(await converse(server.url, REMOTE, [query], 1)).toEqual(['result']);
  });

  it('reads: false refuses every read', async () => {
    server = await startWsTestServer({ reads: false });
    expect(await converse(server.url, TOOL, [query, ingest], 2)).toEqual([
      'error: reads are turned off on this server (reads',
      'ack',
    ]);
  });
});
