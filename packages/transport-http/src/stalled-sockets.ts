import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

/** How far an open socket's output had got when last looked at. */
interface Progress {
  /** Bytes whose writes completed: `bytesWritten` counts what is queued too, `writableLength` what is not done. */
  done: number;
  /** Bytes of the write under way not yet in the kernel: it falls while a client reads a large write. */
  queued: number;
  since: number;
}

/** libuv's count of bytes handed to a write not yet taken by the kernel (Node's own idle check reads it). */
function kernelQueue(socket: Socket): number {
  return (socket as unknown as { _handle?: { writeQueueSize?: number } })._handle?.writeQueueSize ?? 0;
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
    sockets.set(socket, { done: 0, queued: 0, since: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  const every = Math.max(10, Math.min(1000, Math.floor(stalledMs / 4)));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [socket, progress] of sockets) {
      // Progress is output leaving: more written than pending (not more written: a stalled socket
      // the app keeps writing to, pings or a live feed, gains bytes and delivers none), or less of
      // the write under way still waiting for the kernel.
      const done = socket.bytesWritten - socket.writableLength;
      const queued = kernelQueue(socket);
      const moved = done > progress.done || queued < progress.queued;
      progress.done = done;
      progress.queued = queued;
      if (socket.writableLength === 0 || moved) progress.since = now;
      else if (now - progress.since >= stalledMs) {
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
