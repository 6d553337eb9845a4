import type { Sender } from './sender.ts';
import type { TrackerEvent } from './types.ts';

/** Events held (queued + sent but not acked); beyond it the newest are dropped, as over HTTP. */
const MAX_HELD = 500;
/** Bytes per frame: under any Skopos server's `maxPayloadBytes` (1 MiB by default, 64 KB in earlier releases), which closes the socket (1009) above it. */
const MAX_FRAME_BYTES = 65e3;
/** First reconnect delay (ms), doubled per failed attempt up to `MAX_DELAY`, with jitter. */
const MIN_DELAY = 500;
const MAX_DELAY = 3e4;
/** The server's close code for a missing or wrong key: re-connecting cannot help. */
const CLOSE_POLICY_VIOLATION = 1008;

/** A sender that can also be shut down (the socket closed for good). */
export interface WsSender<E = TrackerEvent> extends Sender<E> {
  close(): void;
}

/**
 * The batch queue over one persistent WebSocket (`@skopos/transport-ws`'s protocol): `ingest`
 * frames at `batchSize` events or `flushInterval` ms after the first queued one, each kept until the
 * server acks it and re-sent with the same id after a reconnect (the server answers a known id
 * without storing again; every event's `eventId` guards the store as well). The socket opens with
 * the first event, so an opted-out visitor never connects. A page going away gets what is queued
 * sent if the socket is open; a socket cannot beacon, so otherwise the rest is lost.
 */
export function createWsSender<E = TrackerEvent>(
  endpoint: string,
  apiKey: string | undefined,
  batchSize: number,
  interval: number,
): WsSender<E> {
  const url = new URL(endpoint, location.href);
  // A relative or http(s) endpoint names the same host: `http:` → `ws:`, `https:` → `wss:`.
  url.protocol = url.protocol.replace('http', 'ws');
  const queue: E[] = [];
  const unacked = new Map<string, E[]>();
  // Batch ids must be unique across every page the server hears from: it remembers them.
  const prefix = crypto.getRandomValues(new Uint32Array(2)).join('-');
  let sent = 0;
  let socket: WebSocket | undefined;
  let ready = false;
  let closed = false;
  let delay = MIN_DELAY;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  // The pending reconnect: events pushed meanwhile wait for it rather than connect at once.
  let retry: ReturnType<typeof setTimeout> | 0 = 0;

  const transmit = (id: string): void => {
    const events = unacked.get(id);
    if (ready && events) socket?.send(JSON.stringify({ type: 'ingest', id, events }));
  };

  const connect = (): void => {
    if (socket || retry || closed) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch {
      // Not a ws(s) URL, or `ws://` from an https page (mixed content): it can never work, and the
      // page's own code (a `track` call) must not throw for it.
      closed = true;
      return;
    }
    socket = ws;
    ws.onopen = () => {
      // The server handles a connection's messages in order: batches may follow `auth` at once.
      if (apiKey) ws.send(JSON.stringify({ type: 'auth', key: apiKey }));
      ready = true;
      for (const id of unacked.keys()) transmit(id);
      flush();
    };
    ws.onmessage = ({ data }: MessageEvent<string>) => {
      // An ack without an id (vite-plugin-monitor's protocol) answers the oldest batch still waiting:
      // such a server answers each ingest in turn, and this socket carried them in `unacked`'s order.
      const { type, id = type === 'ack' ? unacked.keys().next().value : 0, retryable } = JSON.parse(data);
      if (!unacked.has(id) || (type !== 'ack' && type !== 'error')) return;
      if (type === 'ack') delay = MIN_DELAY;
      // A retryable error (store down, server shutting down): the same frame again later.
      if (retryable) setTimeout(transmit, interval, id);
      // An ack is final, and so is a non-retryable error: the same events would fail again.
      else unacked.delete(id);
    };
    ws.onclose = ({ code }: CloseEvent) => {
      socket = undefined;
      ready = false;
      if (code === CLOSE_POLICY_VIOLATION) closed = true;
      if (closed) return;
      retry = setTimeout(
        () => {
          retry = 0;
          connect();
        },
        delay * (0.5 + Math.random() / 2),
      );
      delay = Math.min(delay * 2, MAX_DELAY);
    };
  };

  const schedule = (): void => {
    timer ||= setTimeout(flush, interval);
  };

  function flush(): void {
    clearTimeout(timer);
    timer = 0;
    if (!ready) {
      connect();
      return;
    }
    while (queue.length) {
      const id = `${prefix}-${sent++}`;
      let size = batchSize * 2;
      let events: E[];
      let bytes: number;
      // Halve until the frame fits; a lone event too large for any frame is dropped, since the
      // server would close the socket for it on every attempt.
      do {
        size >>= 1;
        events = queue.slice(0, size);
        bytes = new Blob([JSON.stringify({ type: 'ingest', id, events })]).size;
      } while (size > 1 && bytes > MAX_FRAME_BYTES);
      queue.splice(0, events.length);
      if (bytes > MAX_FRAME_BYTES) continue;
      unacked.set(id, events);
      transmit(id);
    }
  }

  return {
    push(event) {
      let held = queue.length;
      for (const events of unacked.values()) held += events.length;
      if (held >= MAX_HELD) return;
      connect();
      if (queue.push(event) >= batchSize) flush();
      else schedule();
    },
    flush,
    close() {
      flush();
      closed = true;
      clearTimeout(timer);
      socket?.close(1000);
    },
  };
}
