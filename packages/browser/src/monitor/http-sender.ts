import type { Sender } from '../sender.ts';

/** Events kept while the backend is unreachable or refusing; beyond it the newest are dropped. */
const MAX_QUEUE = 500;
/** Characters per request body: under sendBeacon's 64 KB for ASCII-heavy JSON. */
const MAX_BODY_CHARS = 6e4;
/** Refusals in a row, with a 4xx that re-sending cannot fix, after which a batch is dropped. */
const MAX_REFUSALS = 3;

/**
 * vite-plugin-monitor's HTTP delivery, which its users' own backends expect: `POST <writeEndpoint>`
 * with `{"type":"ingest","events":[…]}` as `application/json` and the key in `X-Tracker-Key`; when
 * the page goes away, `sendBeacon` with a JSON Blob (a beacon carries no header, so its URL gets
 * `?key=`, which Skopos' write routes read). Any non-2xx puts the batch back for the next flush, as
 * that client does; but a batch refused 3 times in a row with a 4xx other than 408 or 429 is dropped,
 * where that client re-sent it forever and so blocked every later event of the tab.
 */
export function createMonitorSender<E>(
  endpoint: string,
  apiKey: string | undefined,
  batchSize: number,
  interval: number,
): Sender<E> {
  const queue: E[] = [];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const url = new URL(endpoint, location.href);
  const beaconUrl = new URL(url);
  if (apiKey) {
    headers['x-tracker-key'] = apiKey;
    beaconUrl.searchParams.set('key', apiKey);
  }
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let refusals = 0;

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
      // Halve until the body fits; a lone oversized event goes anyway and the backend decides.
      do {
        size >>= 1;
        batch = queue.slice(0, size);
        body = JSON.stringify({ type: 'ingest', events: batch });
      } while (size > 1 && body.length > MAX_BODY_CHARS);
      queue.splice(0, batch.length);
      const retry = (status?: number): void => {
        if (status !== undefined && status < 500 && status !== 408 && status !== 429) {
          if (++refusals >= MAX_REFUSALS) return;
        }
        queue.unshift(...batch);
        queue.splice(MAX_QUEUE);
        schedule();
      };
      const blob = new Blob([body], { type: 'application/json' });
      if (!(beacon && navigator.sendBeacon?.(beaconUrl, blob))) {
        // keepalive: a batch that filled up while the page is being hidden must outlive the page.
        fetch(url, { method: 'POST', headers, body, keepalive: true }).then((response) => {
          if (response.ok) refusals = 0;
          else retry(response.status);
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
