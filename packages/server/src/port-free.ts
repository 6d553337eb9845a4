import { createServer } from 'node:net';
import { SkoposError } from '@skopos/core';

/**
 * Fails clearly when `port` on 127.0.0.1 is taken. Needed before starting PocketBase on a fixed
 * port: a PocketBase already there answers the health check, and the new one's failure to bind
 * would surface as a confusing login error against the other instance.
 */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new SkoposError(
          'invalid_options',
          `[skopos/server] port ${port} on 127.0.0.1 is in use (${error.code ?? error.message}), perhaps by another PocketBase: stop it or pass --port <another port> (0 = any free port)`,
          { cause: error },
        ),
      );
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
