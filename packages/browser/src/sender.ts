import type { TrackerEvent } from './types.ts';

/** Events kept while the server is unreachable; beyond it the newest are dropped. */
const MAX_QUEUE = 500;
/** Characters per request body: under sendBeacon's 64 KB (and older servers' limit) for ASCII-heavy JSON. */
const MAX_BODY_CHARS = 6e4;

/**
 * How the tracker delivers its events: HTTP here, WebSocket in `ws-sender.ts`. `E` is the event
 * shape: the monitor client sends vite-plugin-monitor's events through the same queue.
 */
export interface Sender<E = TrackerEvent> {
  /** Queues one event; the sender decides when it leaves. */
  push(event: E): void;
  /** Sends what is queued now; `beacon` says the page is going away. */
  flush(beacon?: boolean): void;
}

/**
 * The batch queue: a request at `batchSize` events or `flushInterval` ms after the first queued
 * event, `sendBeacon` for a page going away. Bodies are strings, so the browser sends them as
 * `text/plain`, and the key rides as `?key=` (which the write route accepts): a CORS-safelisted
 * request, never a preflight. Network errors, 429 and 5xx put the batch back for the next flush;
 * other answers are final (re-sending the same events cannot help).
 */
export function createSender<E = TrackerEvent>(
  endpoint: string,
  apiKey: string | undefined,
  batchSize: number,
  interval: number,
): Sender<E> {
  const queue: E[] = [];
  const url = new URL(endpoint, location.href);
  if (apiKey) url.searchParams.set('key', apiKey);
  let timer: ReturnType<typeof setTimeout> | 0 = 0;

  const schedule = (): void => {
    timer ||= setTimeout(flush, interval);
  };

  function flush(beacon?: boolean): void {
    clearTimeout(timer);
    timer = 0;
    while (queue.length) {
      let size = batchSize * 2;
      let batch: E[];
      let body: string;
      // Halve until the body fits; a lone oversized event goes anyway and the server refuses it (413).
      do {
        size >>= 1;
        batch = queue.slice(0, size);
        body = JSON.stringify({ events: batch });
      } while (size > 1 && body.length > MAX_BODY_CHARS);
      queue.splice(0, batch.length);
      const retry = (): void => {
        queue.unshift(...batch);
        queue.splice(MAX_QUEUE);
        schedule();
      };
      if (!(beacon && navigator.sendBeacon?.(url, body))) {
        // keepalive: a batch that filled up while the page is being hidden must outlive the page.
        fetch(url, { method: 'POST', body, keepalive: true }).then((response) => {
          // 5xx or 429: the server may take the same batch later.
          if (/^5|429/.test(`${response.status}`)) retry();
        }, retry);
      }
    }
  }

  return {
    push(event) {
      if (queue.push(event) >= batchSize) flush();
      else schedule();
    },
    flush,
  };
}
