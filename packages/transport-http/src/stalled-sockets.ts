import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

/** How far an open socket's answer had got when last looked at. */
interface Progress {
  written: number;
  since: number;
}

/**
 * Drops connections whose client has read nothing of what the server has to send for `stalledMs`
 * (data waiting in the socket's buffer, none of it leaving): a reader that stopped reading a long
 * answer (a whole-window read, a laptop gone to sleep) would otherwise hold its place among the
 * server's concurrent reads, and the server its buffers, for as long as the connection stays open.
 * Whatever answers the request (a Fetch adapter, a framework, a WebSocket), nothing is asked of it:
 * the sockets are looked at on one timer, so a request costs nothing. Answers the stop function.
 */
export function dropStalledSockets(server: HttpServer | HttpsServer, stalledMs: number): () => void {
  const sockets = new Map<Socket, Progress>();
  const event = server instanceof TlsServer ? 'secureConnection' : 'connection';
  server.on(event, (socket: Socket) => {
    sockets.set(socket, { written: socket.bytesWritten, since: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  const every = Math.max(10, Math.min(1000, Math.floor(stalledMs / 4)));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [socket, progress] of sockets) {
      const written = socket.bytesWritten;
      if (socket.writableLength === 0 || written !== progress.written) {
        progress.written = written;
        progress.since = now;
      } else if (now - progress.since >= stalledMs) {
        sockets.delete(socket);
        socket.destroy();
      }
    }
  }, every);
  timer.unref();
  const stop = (): void => clearInterval(timer);
  server.once('close', stop);
  return stop;
}
