import { SkoposError, type WebsiteConfig, type WebsiteInput } from '@skopos/core';

/** A website to register: `trackingId` is required, every other field has a permissive default. */
export type { WebsiteInput };

/** Fields `updateWebsite` may change (`id` and `trackingId` identify the site and stay). */
export type WebsitePatch = Partial<Omit<WebsiteConfig, 'id' | 'trackingId'>>;

export interface MemoryStoreOptions {
  /**
   * Events kept; when full the oldest is evicted first (default 500000, vite-plugin-monitor), but never one of
   * a site holding less than an equal share of the buffer.
   */
  maxBufferSize?: number;
  /**
   * The size the events' variable fields may take together (their JSON text: payload, meta,
   * context, `eventData`, path, name; one byte per character), default 256 MiB: past it the
   * oldest events are evicted, whatever their count. A count alone lets large vite-plugin-monitor
   * events (up to ~32 KB each) fill gigabytes.
   */
  maxBufferBytes?: number;
  /**
   * Events one site may hold, 1 to `maxBufferSize`; at it, the site's own oldest event makes room
   * (default `maxBufferSize`: no cap of its own, the equal-share rule already stops a flood).
   */
  maxEventsPerSite?: number;
  /** Session rows kept; the least recently active is evicted first (default `maxBufferSize`: one per event held). */
  maxSessions?: number;
  /** Visitor rows kept; the least recently used is evicted first (default `maxSessions`). */
  maxVisitors?: number;
  /** How many of the latest event ids are checked to skip a re-sent event (default 50000; 0 = off). */
  dedupeWindow?: number;
  /**
   * The store's only writer is one Skopos pipeline (`createSkopos`) that answers re-sent events
   * itself: its identity window per site (`identityWindow.perSite`) at least twice `dedupeWindow`,
   * each event written at once (`batch: false`), no journal (a replay cut short is replayed again)
   * and no shared sessions, as `skopos serve` sets it up. Default `false`. The store then checks
   * ids only once one of its writes has thrown, from that write's retry on, which saves a
   * hash-table probe per event; a re-send the pipeline no longer remembers is held twice. With any
   * other writer (a second pipeline, your own `write` calls, a replay of logs) leave it off: a
   * batch written twice would be held twice.
   */
  writerDedupes?: boolean;
  /**
   * For a server with dashboards: `stats` then answers a Promise, and stats calls are counted
   * across turns of the event loop, at most this many buffered events per turn for all calls in
   * flight together (8192 ≈ 0.5 ms), so that ingest requests are served in between however many
   * dashboards poll. Unset (default): `stats` answers synchronously and blocks for the whole count
   * (~10–20 ms per 500k events).
   */
  statsSlice?: number;
  /** Sites known from the start. */
  websites?: WebsiteInput[];
  /** Accept any `trackingId` as a site without a domain rule (dev servers, the Vite middleware). */
  autoCreateWebsites?: boolean;
}

export interface ResolvedOptions {
  maxBufferSize: number;
  maxBufferBytes: number;
  maxEventsPerSite: number;
  maxSessions: number;
  maxVisitors: number;
  dedupeWindow: number;
  writerDedupes: boolean;
  autoCreateWebsites: boolean;
  statsSlice: number | undefined;
}

/** 256 MiB: ~8 000 of the largest events, and over a million of the usual ones (~200 B). */
export const DEFAULT_MAX_BUFFER_BYTES = 256 * 1024 * 1024;

function count(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/memory-store] ${name} must be an integer ≥ ${min}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * No cap of its own by default: a site alone may use the whole buffer (a fixed share would waste
 * it), and eviction already spares every site under an equal share, so a flood evicts the flooder.
 */
function perSiteQuota(value: number | undefined, maxBufferSize: number): number {
  if (value === undefined) return maxBufferSize;
  if (!Number.isInteger(value) || value < 1 || value > maxBufferSize) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/memory-store] maxEventsPerSite must be an integer from 1 to maxBufferSize (${maxBufferSize}), got ${String(value)}; raise maxBufferSize or lower the quota`,
    );
  }
  return value;
}

/** Options with their defaults; throws `invalid_options` for a size that is not a usable integer. */
export function resolveOptions(options: MemoryStoreOptions): ResolvedOptions {
  const maxBufferSize = count('maxBufferSize', options.maxBufferSize, 500_000, 1);
  // As many rows as events: every live event's session stays, also when each visit is one page
  // view (bounce-heavy sites); fewer made sessions and visitors undercount while their events stay.
  // The table grows as rows arrive, so the cap costs memory only when that many sessions exist.
  const maxSessions = count('maxSessions', options.maxSessions, maxBufferSize, 1);
  return {
    maxBufferSize,
    maxBufferBytes: count('maxBufferBytes', options.maxBufferBytes, DEFAULT_MAX_BUFFER_BYTES, 1),
    maxEventsPerSite: perSiteQuota(options.maxEventsPerSite, maxBufferSize),
    maxSessions,
    maxVisitors: count('maxVisitors', options.maxVisitors, maxSessions, 1),
    dedupeWindow: count('dedupeWindow', options.dedupeWindow, 50_000, 0),
    writerDedupes: options.writerDedupes ?? false,
    autoCreateWebsites: options.autoCreateWebsites ?? false,
    statsSlice: options.statsSlice === undefined ? undefined : count('statsSlice', options.statsSlice, 0, 1),
  };
}
