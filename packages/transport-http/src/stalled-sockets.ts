import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

/** How far an open socket's output had got when last looked at. */
interface Progress {
  /** Bytes the kernel has taken (see `kernelTaken`). */
  taken: number;
  since: number;
}

interface SocketInternals {
  /** Bytes handed to libuv so far (Node's own count, in bytes whatever was written). */
  _bytesDispatched?: number;
  /** libuv's handle; over TLS the TLS layer, whose `_parent` is the TCP handle. */
  _handle?: { writeQueueSize?: number; _parent?: { writeQueueSize?: number } } | null;
}

/**
 * Bytes handed to libuv that the kernel has taken, and what libuv still holds: what a client reads
 * makes the first grow (also during one large write), and what the app writes to a client that
 * reads nothing does not (public counters fail both ways: `bytesWritten` counts what is queued,
 * and `writableLength` counts characters for strings). Over TLS the queue is the TCP handle's.
 */
function kernelTaken(socket: Socket): { taken: number; queued: number } | undefined {
  const internals = socket as unknown as SocketInternals;
  const handle = internals._handle;
  const queued = (handle?._parent ?? handle)?.writeQueueSize ?? 0;
  const dispatched = internals._bytesDispatched;
  // Not a socket Node's counters describe (a stream emitted as a connection, a Node without them):
  // it is not judged, rather than dropped while it sends.
  if (typeof dispatched !== 'number' || typeof queued !== 'number') return undefined;
  return { taken: dispatched - queued, queued };
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
    sockets.set(socket, { taken: 0, since: Date.now() });
    socket.once('close', () => sockets.delete(socket));
  });
  const every = Math.max(10, Math.min(1000, Math.floor(stalledMs / 4)));
  let lastLook = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    // Looking late (the process was not scheduled, or its event loop was busy): what clients read
    // meanwhile may not show yet (libuv takes it up in its next poll), so nobody is dropped on this
    // look; the next one, on time, sees it.
    const late = now - lastLook > 2 * every + 50;
    lastLook = now;
    for (const [socket, progress] of sockets) {
      // Progress is output leaving, not output queued: a stalled socket the app keeps writing to
      // (pings, a live feed) gains bytes and delivers none.
      const counters = kernelTaken(socket);
      if (counters === undefined) continue;
      const moved = counters.taken > progress.taken;
      progress.taken = counters.taken;
      if ((socket.writableLength === 0 && counters.queued === 0) || moved) progress.since = now;
      else if (!late && now - progress.since >= stalledMs) {
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
