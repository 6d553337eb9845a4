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
});
