import { createServer } from 'node:net';
import { SkoposError } from '@skopos/core';

/** Ports tried after a busy one when looking for a free one to suggest. */
const SEARCH = 100;

/** Why `host:port` cannot be listened on now, or `null` if it can. */
function listenError(port: number, host: string): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', resolve);
    probe.listen(port, host, () => probe.close(() => resolve(null)));
  });
}

/** The first port after `busy` that `host` can listen on now, or `undefined` if none of the next 100 is free. */
export async function nextFreePort(busy: number, host: string): Promise<number | undefined> {
  for (let port = busy + 1; port <= Math.min(busy + SEARCH, 65_535); port++) {
    if ((await listenError(port, host)) === null) return port;
  }
  return undefined;
}

function suggestion(free: number | undefined): string {
  return free === undefined
    ? 'pass --port <another port> (0 = any free port)'
    : `pass --port ${free} (free now; 0 = any free port)`;
}

/** `EADDRINUSE` anywhere in the cause chain of `error`. */
function isAddressInUse(error: unknown): boolean {
  for (let e: unknown = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    if ((e as { code?: unknown }).code === 'EADDRINUSE') return true;
  }
  return false;
}

/** For a start that failed on a busy port: what to say instead, with a free port to try; `null` for any other failure. */
export async function busyPortHint(error: unknown, port: number, host: string): Promise<string | null> {
  if (!isAddressInUse(error) || port === 0) return null;
  return `port ${port} on ${host} is in use: stop what runs there or ${suggestion(await nextFreePort(port, host))}`;
}

/**
 * Fails clearly when `port` on 127.0.0.1 is taken. Needed before starting PocketBase on a fixed
 * port: a PocketBase already there answers the health check, and the new one's failure to bind
 * would surface as a confusing login error against the other instance.
 */
export async function assertPortFree(port: number): Promise<void> {
  const error = await listenError(port, '127.0.0.1');
  if (error === null) return;
  const free = error.code === 'EADDRINUSE' ? await nextFreePort(port, '127.0.0.1') : undefined;
  throw new SkoposError(
    'invalid_options',
    `[skopos/server] port ${port} on 127.0.0.1 is in use (${error.code ?? error.message}), perhaps by another PocketBase: stop it or ${suggestion(free)}`,
    { cause: error },
  );
}
