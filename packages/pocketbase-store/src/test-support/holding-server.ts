import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/**
 * A real server on 127.0.0.1 for one test file, for what a frozen PocketBase or a stuck proxy does:
 * `handle` answers a request or returns `'hold'` to keep it open, unanswered, until the file ends.
 * `url()` inside tests.
 */
export function useHoldingServer(
  handle: (req: IncomingMessage, res: ServerResponse) => 'hold' | undefined,
): () => string {
  let server: Server | null = null;
  let base = '';
  const held: ServerResponse[] = [];
  beforeAll(async () => {
    const started = createServer((req, res) => {
      if (handle(req, res) === 'hold') held.push(res);
    });
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
    server = started;
  });
  afterAll(async () => {
    for (const res of held) res.destroy();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  return () => base;
}
