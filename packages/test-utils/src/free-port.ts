import { createServer } from 'node:net';

/**
 * Where `freePort` looks: below the ports operating systems hand out on their own (Linux
 * 32768–60999, macOS and Windows 49152–65535) to a `listen(0)` or to the source of an outgoing
 * connection. A port the OS picked could go to another test's socket before the caller binds it;
 * one from here is taken only by a caller that asked for it by number.
 */
const LOWEST = 20_000;
const HIGHEST = 32_000;

function listenOnce(port: number): Promise<number | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Ports this process handed out already. `fetch` keeps idle keep-alive connections per origin for
 * a few seconds: a new server on the port of one that just closed could get a request written to a
 * dead pooled socket ("other side closed"). Test files sharing a worker start hundreds of servers,
 * so a port is never handed out twice in one process.
 */
const handedOut = new Set<number>();

/** A TCP port nobody listens on right now on 127.0.0.1 (the caller binds it moments later). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (handedOut.has(candidate)) continue;
    const port = await listenOnce(candidate);
    if (port === undefined) continue;
    handedOut.add(port);
    return port;
  }
  // That range is full: let the OS pick.
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  return port;
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
