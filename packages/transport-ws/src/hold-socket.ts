import type { Duplex } from 'node:stream';
import type { Logger } from '@skopos/core';

/**
 * Watches an upgrade's socket for errors while the server awaits something before handing it to
 * `ws`: once 'upgrade' fires Node no longer listens, and `ws` starts only in `handleUpgrade`, so a
 * client resetting the connection meanwhile would raise an unhandled 'error' that ends the process.
 * The answer stops watching and tells whether the socket is still worth accepting.
 */
export function holdSocket(socket: Duplex, logger: Pick<Logger, 'debug'>): () => boolean {
  const onError = (error: Error): void => {
    logger.debug('a WebSocket upgrade ended before it was accepted', { error: String(error) });
    socket.destroy();
  };
  socket.on('error', onError);
  return () => {
    socket.off('error', onError);
    return !socket.destroyed;
  };
}
