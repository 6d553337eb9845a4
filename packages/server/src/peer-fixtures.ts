import { readFileSync } from 'node:fs';

/** One recorded request of vite-plugin-monitor's real client (shared test data). */
export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string;
  body: { type: string; events: PeerEvent[] };
}

/** A `TrackerEvent` as the peer's client sends it. */
export type PeerEvent = Record<string, unknown> & { timestamp: string };

export type PeerVersion = '1.7' | '2.1';

/** The fields of vite-plugin-monitor's `TrackerEvent` its dashboard reads back. */
export const PEER_FIELDS = [
  'timestamp',
  'level',
  'type',
  'appId',
  'sessionId',
  'userId',
  'groupId',
  'context',
  'payload',
  'meta',
] as const;

/**
 * The recorded HTTP requests of one client version, every timestamp moved by the same amount so
 * that the newest event happened a minute ago: the server keeps a client's time only within its
 * clock skew (24 h back), and the recordings are older. Order and gaps are kept, ties too.
 */
export function recordedRequests(version: PeerVersion, now = Date.now()): RecordedRequest[] {
  const file = new URL(
    `../../../../shared/fixtures/vite-plugin-monitor-${version}/http-ingest-requests.json`,
    import.meta.url,
  );
  const requests = JSON.parse(readFileSync(file, 'utf8')) as RecordedRequest[];
  const times = requests.flatMap((request) =>
    request.body.events.map((event) => Date.parse(event.timestamp)),
  );
  const shift = now - 60_000 - Math.max(...times);
  for (const request of requests) {
    for (const event of request.body.events) {
      event.timestamp = new Date(Date.parse(event.timestamp) + shift).toISOString();
    }
  }
  return requests;
}

/** Deep JSON with sorted keys: two values compare equal whatever their key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** An event reduced to the peer's fields, as canonical JSON. */
export function peerView(event: Record<string, unknown>): string {
  const view: Record<string, unknown> = {};
  for (const field of PEER_FIELDS) if (event[field] !== undefined) view[field] = event[field];
  return JSON.stringify(canonical(view));
}

export interface PeerQuery {
  since?: string;
  until?: string;
  after?: string;
  limit?: number;
  page?: number;
}

/**
 * What vite-plugin-monitor's own read endpoint answers for `query` over events kept in arrival
 * order, written from its source (`standalone-server.ts`, `RingBuffer.query` and the GET handler):
 * `since`/`until` inclusive and `after` exclusive as ISO string comparisons, then newest first
 * (the buffer reversed), then page `page` (1-based) of `limit` (default: everything), `total`
 * counting the filtered events before paging.
 */
export function peerRead(
  events: readonly PeerEvent[],
  query: PeerQuery,
): { events: PeerEvent[]; total: number } {
  let result = [...events];
  const { since, until, after } = query;
  if (since) result = result.filter((event) => event.timestamp >= since);
  if (until) result = result.filter((event) => event.timestamp <= until);
  if (after) result = result.filter((event) => event.timestamp > after);
  result.reverse();
  const limit = query.limit ?? events.length;
  const start = ((query.page ?? 1) - 1) * limit;
  return { events: result.slice(start, start + limit), total: result.length };
}
