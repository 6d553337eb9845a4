import type { Sender } from '../sender.ts';

/** Events kept while the backend is unreachable or refusing; beyond it the newest are dropped. */
const MAX_QUEUE = 500;
/** Characters per request body: under sendBeacon's 64 KB for ASCII-heavy JSON. */
const MAX_BODY_CHARS = 6e4;
/** Refusals of one batch, with a 4xx that re-sending cannot fix, after which it is dropped. */
const MAX_REFUSALS = 3;

const ingestBody = (events: unknown[]): string => JSON.stringify({ type: 'ingest', events });

/** A batch sent and refused: re-sent whole, with its own count of lasting refusals. */
interface Refused<E> {
  events: E[];
  refusals: number;
}

/**
 * vite-plugin-monitor's HTTP delivery, which its users' own backends expect: `POST <writeEndpoint>`
 * with `{"type":"ingest","events":[…]}` as `application/json` and the key in `X-Tracker-Key`; when
 * the page goes away, `sendBeacon` with a JSON Blob (a beacon carries no header, so its URL gets
 * `?key=`, which Skopos' write routes read). Any non-2xx puts the batch back for the next flush, as
 * that client does; but a batch refused 3 times with a 4xx other than 408 or 429 is dropped, where
 * that client re-sent it forever and so blocked every later event of the tab.
 */
export function createMonitorSender<E>(
  endpoint: string,
  apiKey: string | undefined,
  batchSize: number,
  interval: number,
): Sender<E> {
  const queue: E[] = [];
  let refused: Refused<E>[] = [];
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const url = new URL(endpoint, location.href);
  const beaconUrl = new URL(url);
  if (apiKey) {
    headers['x-tracker-key'] = apiKey;
    beaconUrl.searchParams.set('key', apiKey);
  }
  let timer: ReturnType<typeof setTimeout> | 0 = 0;

  const schedule = (): void => {
    timer ||= setTimeout(flush, interval);
  };

  function send(events: E[], refusals: number, beacon?: boolean, body = ingestBody(events)): void {
    const retry = (status?: number): void => {
      const lasting = status !== undefined && status < 500 && status !== 408 && status !== 429;
      if (lasting && refusals + 1 >= MAX_REFUSALS) return;
      refused.push({ events, refusals: lasting ? refusals + 1 : refusals });
      // Refused batches count against the bound: the newest queued events make room, then the
      // newest refused batches (a backend down for long must not make every flush a storm).
      let held = refused.reduce((n, batch) => n + batch.events.length, 0);
      while (held > MAX_QUEUE && refused.length > 1) held -= refused.pop()?.events.length ?? 0;
      queue.splice(Math.max(0, MAX_QUEUE - held));
      schedule();
    };
    if (beacon && navigator.sendBeacon?.(beaconUrl, new Blob([body], { type: 'application/json' }))) return;
    // keepalive: a batch that filled up while the page is being hidden must outlive the page.
    fetch(url, { method: 'POST', headers, body, keepalive: true }).then(
      (response) => response.ok || retry(response.status),
      () => retry(),
    );
  }

  /** Refused batches go again at the next flush interval (or with the page), not at every full batch. */
  function flush(beacon?: boolean): void {
    clearTimeout(timer);
    timer = 0;
    const again = refused;
    refused = [];
    // A page going away has a small beacon quota (64 KB in flight): its newest events (the session
    // end among them) go first, then what was refused before.
    if (beacon) sendQueued(beacon);
    for (const batch of again) send(batch.events, batch.refusals, beacon);
    sendQueued(beacon);
  }

  function sendQueued(beacon?: boolean): void {
    while (queue.length) {
      let size = batchSize * 2;
      let batch: E[];
      let body: string;
      // Halve until the body fits; a lone oversized event goes anyway and the backend decides.
      do {
        size >>= 1;
        batch = queue.slice(0, size);
        body = ingestBody(batch);
      } while (size > 1 && body.length > MAX_BODY_CHARS);
      queue.splice(0, batch.length);
      send(batch, 0, beacon, body);
    }
  }

  return {
    push(event) {
      if (queue.push(event) >= batchSize) sendQueued();
      schedule();
    },
    flush,
  };
}
