import { afterEach } from 'vitest';
import { openRaw, type RawClient } from './test-raw-client.ts';
import type { WsTestServer } from './test-support.ts';

/**
 * The server and raw clients of a test file, ended after each test (sockets terminated: a test may
 * leave one that stopped reading). `serve` keeps the server it is given, `open` the client it opens.
 */
export function useSockets(): {
  serve(started: WsTestServer): WsTestServer;
  open(url: string, options?: Parameters<typeof openRaw>[1]): Promise<RawClient>;
} {
  let server: WsTestServer | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.terminate();
    await server?.close();
    server = undefined;
  });
  return {
    serve(started) {
      server = started;
      return started;
    },
    async open(url, options) {
      const client = await openRaw(url, options);
      clients.push(client);
      return client;
    },
  };
}
