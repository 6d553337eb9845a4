import type { Logger } from '@skopos/core/lite';
import { type ResolvedClientOptions, reconnectDelay, type WebSocketLike } from './client-options.ts';

const OPEN = 1;
/** Application close code used when the server stopped answering keep-alive pings. */
const CLOSE_NO_ANSWER = 4000;

export interface SocketHandlers {
  /** The socket is open (authenticate here). */
  onOpen(): void;
  onMessage(data: unknown): void;
  /** The socket closed; answer false to stop reconnecting for good. */
  onClose(code: number, reason: string): boolean;
}

/** One WebSocket at a time, re-opened with exponential backoff and jitter until stopped. */
export interface ReconnectingSocket {
  /** Sends on the open socket (callers check readiness themselves). */
  send(frame: string): void;
  /** Connections opened after the first one. */
  readonly reconnects: number;
  /** The next backoff delay, growing with each call until `resetBackoff`. */
  nextDelay(): number;
  resetBackoff(): void;
  /** No more reconnecting; the open socket, if any, is closed with 1000. */
  stop(): void;
}

export function createReconnectingSocket(
  config: ResolvedClientOptions,
  logger: Logger,
  handlers: SocketHandlers,
): ReconnectingSocket {
  let socket: WebSocketLike | undefined;
  let attempt = 0;
  let opened = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the server said anything since the last keep-alive ping. */
  let heard = true;
  const nextDelay = (): number => reconnectDelay(config, attempt++);

  function schedule(): void {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(connect, nextDelay());
  }

  function connect(): void {
    timer = undefined;
    if (stopped) return;
    let next: WebSocketLike;
    try {
      next = new config.WebSocket(config.url);
    } catch (error) {
      logger.warn('could not open the WebSocket', { error: String(error) });
      schedule();
      return;
    }
    opened += 1;
    socket = next;
    heard = true;
    next.onopen = () => handlers.onOpen();
    next.onmessage = ((event: { data: unknown }) => {
      heard = true;
      handlers.onMessage(event.data);
    }) as (event: never) => void;
    next.onerror = () => {
      // A close event follows; reconnecting is decided there.
    };
    next.onclose = ((event: { code: number; reason: string }) => {
      if (socket !== next) return;
      socket = undefined;
      if (handlers.onClose(event.code, event.reason)) schedule();
      else halt();
    }) as (event: never) => void;
  }

  // Browsers cannot send ping frames, and a peer that vanished without a FIN leaves the socket
  // "open" for minutes: a protocol-level ping unanswered for a whole interval means reconnect.
  const keepAlive = setInterval(() => {
    const current = socket;
    if (!current || current.readyState !== OPEN) return;
    if (heard) {
      heard = false;
      current.send('{"type":"ping"}');
      return;
    }
    socket = undefined;
    current.onclose = null;
    current.close(CLOSE_NO_ANSWER, 'no answer to keep-alive pings');
    if (handlers.onClose(CLOSE_NO_ANSWER, 'no answer to keep-alive pings')) schedule();
    else halt();
  }, config.keepAliveMs);
  (keepAlive as { unref?: () => void }).unref?.();

  function halt(): void {
    stopped = true;
    clearInterval(keepAlive);
    clearTimeout(timer);
  }

  connect();
  return {
    send: (frame) => socket?.send(frame),
    get reconnects() {
      return Math.max(0, opened - 1);
    },
    nextDelay,
    resetBackoff() {
      attempt = 0;
    },
    stop() {
      halt();
      const last = socket;
      socket = undefined;
      if (last && last.readyState <= OPEN) last.close(1000, 'client closed');
    },
  };
}
