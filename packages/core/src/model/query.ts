import type { HttpStats, NavigationStep } from './monitor-stats.ts';
import type { EventRecord, JsErrorSummary } from './records.ts';

/** "Active now" looks this far back from `until` unless the query says otherwise (`activeSince`). */
export const ACTIVE_WINDOW_MS = 5 * 60_000;

export interface EventQuery {
  /** Website record id; omitted = all sites. */
  website?: string;
  /** Inclusive lower bound (epoch ms). */
  since?: number;
  /** Exclusive upper bound (epoch ms). */
  until?: number;
  /** Page size; stores pick a default and cap it (memory store: 100 by default, at most 10 000), answering `nextCursor` for what their cap cut. */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  /** Events to skip before the page starts (page-number paging; ignored with a cursor). */
  offset?: number;
  /** Exact stored type (`pageView`, `navigation`, `click`…). */
  type?: string;
  level?: string;
  /** The client's user id (`EventRecord.userId`). */
  userId?: string;
  /** The client's session id (`EventRecord.clientSessionId`), or Skopos' session id. */
  sessionId?: string;
  groupId?: string;
  /** Site tracking id (`EventRecord.appId`). */
  appId?: string;
  /**
   * Case-insensitive substring of the event's text: path, name, type, level, user, client
   * session, and its payload, meta and data as JSON (see `eventSearchText`).
   */
  search?: string;
  /** `asc` (default) = oldest first. */
  order?: 'asc' | 'desc';
}

export interface EventPage {
  events: EventRecord[];
  /** Events matching the filters, across all pages. */
  total: number;
  /** Present when more events follow. */
  nextCursor?: string;
}

export interface StatsQuery {
  website?: string;
  since: number;
  until: number;
  /** Time-series bucket width; defaults to a width giving ~60 points. */
  bucketMs?: number;
  /**
   * The viewer's offset from UTC in ms, east positive (`-new Date().getTimezoneOffset() * 60_000`;
   * New York in winter: -18_000_000). Buckets then start at that zone's midnights and whole hours
   * instead of UTC's (default 0). One offset for the whole range: across a daylight-saving change
   * the buckets after it are an hour off that zone's midnights. At most 14 h either way.
   */
  utcOffsetMs?: number;
  /** Rows per "top" list (default 10). */
  top?: number;
  /** Sessions active after this instant count as "active now" (default: until − 5 min). */
  activeSince?: number;
}

/** The filters of `EventQuery` beyond website, time and paging. */
export type EventFilters = Pick<
  EventQuery,
  'type' | 'level' | 'userId' | 'sessionId' | 'groupId' | 'appId' | 'search'
>;

export interface CountRow {
  key: string;
  count: number;
}

export interface SeriesPoint {
  /** Bucket start (epoch ms). */
  t: number;
  pageviews: number;
  events: number;
  sessions: number;
  /**
   * Events with level `error` (vite-plugin-monitor's error-rate chart plots `errors / events` per bucket).
   * Optional for stores written against 0.1; core's `computeStats` and the built-in stores fill it.
   */
  errors?: number;
}

export interface Stats {
  visitors: number;
  sessions: number;
  pageviews: number;
  events: number;
  /**
   * Fraction 0–1 of the counted sessions with a page view that were not engaged (`isBounce`); 0
   * when none has a page view (a site sending only custom or server events: show it as unknown).
   */
  bounceRate: number;
  /** Seconds. */
  avgDuration: number;
  activeNow: number;
  /**
   * `false` when the figures come from events alone (a store without `stats()` and session rows,
   * through `statsFromQuery`): `visitors`, `bounceRate`, `avgDuration`, `activeNow` and the
   * session breakdowns are then unknown, not 0. Absent otherwise.
   */
  sessionsKnown?: false;
  topPages: CountRow[];
  referrers: CountRow[];
  utmSources: CountRow[];
  countries: CountRow[];
  browsers: CountRow[];
  os: CountRow[];
  devices: CountRow[];
  eventNames: CountRow[];
  jsErrors: JsErrorSummary[];
  series: SeriesPoint[];
  /**
   * Events in range by stored `type`, every type present (not cut to `top`): the options of a
   * type filter that can match. Count descending, then type. Optional for 0.1 stores, like the
   * fields below; core's `computeStats` and the built-in stores fill them.
   */
  types?: CountRow[];
  /** Events in range by `level`, every level present (an event stored without one is `info`, as filters read it). */
  levels?: CountRow[];
  /** The range's vite-plugin-monitor `http` events; absent when it has none. */
  http?: HttpStats;
  /**
   * The navigation funnel (`top` rows): `navigation` events by `from` → `to`, counting those with
   * both set and different, as vite-plugin-monitor's dashboard does. Count descending, then from, then to.
   * Absent when the range has no `navigation` event.
   */
  navigation?: NavigationStep[];
  /**
   * Events of this site (or of every site) dropped as bots in the range. Added by the HTTP stats
   * route from the pipeline's drop counts (stores do not keep dropped events).
   */
  botsDropped?: number;
  /**
   * Events of this site (or of every site) refused in the range once the site was known, by reason
   * (`bot`, `ip_blacklisted`, `localhost`, `domain_mismatch`, `archived`, `invalid`). Added by the
   * HTTP stats route from the pipeline's drop counts (`Skopos.droppedIn`, 5-minute buckets).
   */
  dropped?: Partial<Record<string, number>>;
  /**
   * Epoch ms from which `dropped` is complete, when that is later than the range's start: the
   * ingest server started (or its 31 days of drop counts begin) inside the range.
   */
  droppedSince?: number;
}
