import { createServer, type Socket } from 'node:net';
import { silentLogger } from '@skopos/core';
import { afterEach, expect, it } from 'vitest';
import { SkoposSDK } from './skopos-sdk.ts';

// A PocketBase that takes connections and reads requests, and answers none (frozen, or a stuck proxy).
const sockets = new Set<Socket>();
const quiet = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  if (quiet.listening) await new Promise((resolve) => quiet.close(resolve));
});

const credentials = { adminEmail: 'admin@example.com', adminPassword: 'a-long-password' };

it('pocketbaseTimeoutMs bounds each request: init against a PocketBase that never answers fails in time, saying so', async () => {
  await new Promise<void>((resolve) => quiet.listen(0, '127.0.0.1', resolve));
  const { port } = quiet.address() as { port: number };
  const pocketbaseUrl = `http://127.0.0.1:${port}`;
  // Without the option the store's 60 s default would hold init past this test's timeout.
  const init = SkoposSDK.init({
    pocketbaseUrl,
    siteId: 'x',
    ...credentials,
    pocketbaseTimeoutMs: 300,
    logger: silentLogger,
  });
  await expect(init).rejects.toMatchObject({
    code: 'store_failed',
    message: expect.stringContaining('gave no answer within 300 ms'),
  });
});

it('refuses a pocketbaseTimeoutMs that is not a positive number of milliseconds', async () => {
  const init = SkoposSDK.init({
    pocketbaseUrl: 'http://127.0.0.1:8090',
    siteId: 'x',
    ...credentials,
    pocketbaseTimeoutMs: 0,
    logger: silentLogger,
  });
  await expect(init).rejects.toMatchObject({
    code: 'invalid_options',
    message: expect.stringContaining('timeoutMs'),
  });
});
