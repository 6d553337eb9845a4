import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import { clientBucket } from '@skopos/core';

/** What `limitConnections` counts. */
export interface ConnectionCounts {
  /** Connections open now (refused ones never count). */
  readonly open: number;
  /** Connections refused since the start because a cap was reached. */
  readonly refused: number;
}

const BODY = 'too many connections: retry later\n';
const REFUSAL =
  'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\n' +
  `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;
/** A refused client that neither reads the 503 nor closes is cut after this long. */
const REFUSAL_LINGER_MS = 1000;
/** Refusals waiting for their client at most; past it a flood is refused by a plain close. */
const MAX_LINGERING = 256;

const ignore = (): void => {};

/**
 * Counts connections per client and in all, and refuses those past a cap before Node's HTTP
 * parser is attached: `emit('connection')` is intercepted, so a refused socket never reaches a
 * request listener and never takes a slot. The refusal is a fixed 503 written straight to the
 * socket; the client's own bytes are read and dropped so that closing sends FIN rather than RST,
 * which would make the client lose the answer. TLS cannot be answered before its handshake, so
 * there a refusal is a plain close.
 */
export function limitConnections(
  server: HttpServer | HttpsServer,
  maxConnections: number,
  maxPerIp: number,
): ConnectionCounts {
  const perIp = new Map<string, number>();
  const tls = server instanceof TlsServer;
  let open = 0;
  let refused = 0;
  let lingering = 0;

  function refuse(socket: Socket): void {
    refused += 1;
    socket.on('error', ignore);
    if (tls || lingering >= MAX_LINGERING) {
      socket.destroy();
      return;
    }
    lingering += 1;
    const timer = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS);
    timer.unref();
    socket.once('close', () => {
      lingering -= 1;
      clearTimeout(timer);
    });
    // Node's HTTP server allows half-open sockets: once the client is done, close our side too.
    socket.once('end', () => socket.destroy());
    socket.end(REFUSAL);
    socket.resume();
  }

  function admit(socket: Socket): boolean {
    const key = clientBucket(socket.remoteAddress ?? '');
    const mine = perIp.get(key) ?? 0;
    if ((maxConnections > 0 && open >= maxConnections) || (maxPerIp > 0 && mine >= maxPerIp)) {
      refuse(socket);
      return false;
    }
    open += 1;
    perIp.set(key, mine + 1);
    socket.once('close', () => {
      open -= 1;
      const left = (perIp.get(key) ?? 1) - 1;
      if (left === 0) perIp.delete(key);
      else perIp.set(key, left);
    });
    return true;
  }

  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    if (event === 'connection' && !admit(args[0] as Socket)) return true;
    return emit(event, ...args);
  };
  return {
    get open() {
      return open;
    },
    get refused() {
      return refused;
    },
  };
}
