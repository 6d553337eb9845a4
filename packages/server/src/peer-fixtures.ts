import type { MonitorEvent } from '@skopos/test-utils';

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
  events: readonly MonitorEvent[],
  query: PeerQuery,
): { events: MonitorEvent[]; total: number } {
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
