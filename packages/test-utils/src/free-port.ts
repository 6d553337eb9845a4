import { createServer } from 'node:net';

/** A TCP port nobody listens on right now on 127.0.0.1 (the OS picks it; the caller binds it moments later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the OS');
  return address.port;
}

/**
 * Runs `start` (which picks new free ports each time) again while it fails with `taken(error)`: a
 * port from `freePort()` can be bound by another process before the server binds it. At most
 * `attempts` runs in all.
 */
export async function retryTakenPorts<T>(
  attempts: number,
  start: () => Promise<T>,
  taken: (error: unknown) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= attempts || !taken(error)) throw error;
    }
  }
}
