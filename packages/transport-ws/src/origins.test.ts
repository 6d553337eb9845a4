import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BROWSER_HEADERS, startWsTestServer, type WsTestServer } from './test-support.ts';

let server: WsTestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The HTTP status of the upgrade answer: 101 when the socket opened. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { origin: _page, ...tool } = BROWSER_HEADERS;
    const headers = origin === undefined ? tool : { ...tool, origin };
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!String(error).includes('Unexpected server response')) reject(error);
    });
  });
}

describe('origins', () => {
  it("refuses browsers on other sites' pages (403), lets listed pages and non-browser clients in", async () => {
    server = await startWsTestServer({ origins: ['https://app.example.com'] });
    expect(await upgradeStatus(server.url, 'https://evil.test')).toBe(403);
    expect(await upgradeStatus(server.url, 'https://APP.example.com/')).toBe(101);
    expect(await upgradeStatus(server.url)).toBe(101);
  });

  it("lets every page in by default ('*')", async () => {
    server = await startWsTestServer();
    expect(await upgradeStatus(server.url, 'https://evil.test')).toBe(101);
  });

  it('lets every page write but only its own pages read (query, events:query, subscribe), unless readOrigins lists them', async () => {
    const answers = async (url: string, origin: string | undefined): Promise<string[]> => {
      const { origin: _page, ...tool } = BROWSER_HEADERS;
      const socket = new WebSocket(url, { headers: origin === undefined ? tool : { ...tool, origin } });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const received: string[] = [];
      const done = new Promise<void>((resolve) =>
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string; reason?: string };
          received.push(message.type === 'error' ? `error: ${message.reason?.slice(0, 40)}` : message.type);
          if (received.length === 3) resolve();
        }),
      );
      socket.send(
        JSON.stringify({
          type: 'ingest',
          id: 1,
          events: [{ type: 'pageView', url: 'https://example.com/' }],
        }),
      );
      socket.send(JSON.stringify({ type: 'query', reqId: 'r1' }));
      socket.send(JSON.stringify({ type: 'events:query', reqId: 'r2', payload: {} }));
      await done;
      socket.close();
      return received;
    };
    server = await startWsTestServer({ readOrigins: 'same-origin' });
    const host = new URL(server.url).host;
    const refused = "error: reading is not allowed from this page's ";
    expect(await answers(server.url, 'https://evil.test')).toEqual(['ack', refused, refused]);
    expect(await answers(server.url, `http://${host}`)).toEqual(['ack', 'result', 'events:response']);
    expect(await answers(server.url, undefined)).toEqual(['ack', 'result', 'events:response']);
    await server.close();
    server = await startWsTestServer({ readOrigins: ['https://dash.example.com'] });
    expect(await answers(server.url, 'https://dash.example.com')).toEqual([
      'ack',
      'result',
      'events:response',
    ]);
  });
});
