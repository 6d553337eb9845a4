/**
 * The logical data model shared by every store (PocketBase collection names in comments).
 * Timestamps are epoch milliseconds; stores convert to their own format at the edge.
 */

import type { EventLevel } from './event-types.ts';

export type { EventType } from './event-types.ts';

/** `websites`: the per-site configuration that drives the pipeline's drop rules. */
export interface WebsiteConfig {
  /** Record id (15 chars `[a-z0-9]`). Other records reference it. */
  id: string;
  /** Public id sent by trackers; `siteId` in the original Skopos SDK. Unique. */
  trackingId: string;
  name: string;
  /** Bare host (`example.com`); subdomains match; empty = no hostname check. */
  domain: string;
  disableLocalhostTracking: boolean;
  isArchived: boolean;
  /** Exact IPs and CIDR ranges, v4 or v6. */
  ipBlacklist: string[];
  storeRawIp: boolean;
  discardShortSessions: boolean;
  /** 0 = keep forever. */
  dataRetentionDays: number;
  sdkVersion?: string;
}

/** `visitors`: one row per (website, visitorId). */
export interface VisitorRecord {
  /** Deterministic from (website, visitorId) so that two processes never create two rows. */
  id: string;
  website: string;
  /** The keyed hash; never the raw IP. */
  visitorId: string;
  userId?: string;
  name?: string;
  email?: string;
  phone?: string;
  /** JSON ≤ 8 KB. */
  metadata?: Record<string, unknown>;
}

/** `sessions`: the latest state of a session; rows are upserted by `id`. */
export interface SessionRecord {
  id: string;
  website: string;
  /** VisitorRecord.id */
  visitor: string;
  browser: string;
  os: string;
  device: string;
  screenWidth: number;
  screenHeight: number;
  language: string;
  entryPath: string;
  exitPath: string;
  referrer: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  country: string;
  state: string;
  /** Only when the site has `storeRawIp`. */
  ipAddress?: string;
  isNewVisitor: boolean;
  /** Events stored for this session (engagement signals are not events). */
  eventCount: number;
  /** Page views (`pageView` events, and `navigation` events that leave their page: `isPageView`); 0 in rows written by Skopos 0.1. */
  pageViews: number;
  /** ≥ 2 page views or ≥ 10 s of visible time; a session with page views that is not engaged bounced. */
  isEngaged: boolean;
  /** The first event's time, by the client's clock when it was believable (see `EventRecord.timestamp`). */
  startedAt: number;
  lastActivityAt: number;
  /** Seconds from the first to the last activity, by event times (client clocks). */
  duration: number;
  /**
   * With shared sessions (several ingest processes): the session's version this row shows, growing
   * with every change. Processes write rows of one session in any order, so a store that has
   * `sessionRevisions` never lets a lower revision replace a higher one. Absent in rows of a
   * single process, which writes its sessions in order.
   */
  revision?: number;
}

/** vite-plugin-monitor's per-event browser facts (`TrackerEvent.meta`). */
export interface EventMeta {
  userAgent?: string;
  /** The page's route (pathname, plus the hash for hash routers). */
  route?: string;
  /** `WIDTHxHEIGHT`. */
  viewport?: string;
  language?: string;
  referrer?: string;
  buildVersion?: string;
  userAttributes?: Record<string, unknown>;
}

/**
 * `events`: immutable rows, inserted once (an id already stored is skipped). The first fields are
 * Skopos' analytics view of the event; the optional ones keep everything vite-plugin-monitor's
 * `TrackerEvent` carries, so that its dashboard reads back what its client sent.
 */
export interface EventRecord {
  id: string;
  /** Skopos' analytics session (`sessions.id`), derived on the server from the visitor. */
  session: string;
  website: string;
  /** A `StoredEventType` (the type the event arrived with). */
  type: string;
  /** Pathname of the page (a `navigation`'s `to`; `meta.route` for other monitor events). */
  path: string;
  /** Custom event name; the message for errors; '' otherwise. */
  eventName: string;
  eventData?: Record<string, unknown>;
  /**
   * When the event happened: the client's clock when it is within the accepted skew of the
   * server's (default 24 h behind to 5 min ahead), else the server's receive time and
   * `clockAdjusted` is set.
   */
  timestamp: number;
  /** When the server received the event (epoch ms). Absent in rows written by Skopos 0.1. */
  receivedAt?: number;
  /** True when the client's timestamp was missing or outside the accepted skew. */
  clockAdjusted?: boolean;
  /** The site's tracking id (vite-plugin-monitor's `appId`). */
  appId?: string;
  level?: EventLevel;
  /** The client's own session id (vite-plugin-monitor: one per browser tab, `sess_…`). */
  clientSessionId?: string;
  /** The client's user id (vite-plugin-monitor: `anon_…` or the id given to `setUser`). */
  userId?: string;
  groupId?: string;
  context?: Record<string, unknown>;
  /** The type-specific data of a vite-plugin-monitor event (click, http, error, navigation…). */
  payload?: Record<string, unknown>;
  meta?: EventMeta;
}

/**
 * `js_errors`: a delta to merge into the row keyed by (website, errorHash):
 * `count += delta.count`, `firstSeen = min`, `lastSeen = max`; `session`/`url` keep the first seen.
 */
export interface JsErrorDelta {
  website: string;
  session: string;
  errorHash: string;
  errorMessage: string;
  stackTrace: string;
  url: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** Distinct page paths the error happened on (stores keep the union, at most `MAX_ERROR_PAGES`). */
  pages: string[];
}

/** Pages kept per js_errors row: enough to see where an error happens, bounded for hot errors. */
export const MAX_ERROR_PAGES = 20;

/** A stored js_errors row as returned by stats. */
export interface JsErrorSummary {
  errorHash: string;
  errorMessage: string;
  count: number;
  lastSeen: number;
  /** Distinct pages it happened on (empty for rows written by Skopos 0.1). */
  pages: string[];
}
