/**
 * The logical data model shared by every store (PocketBase collection names in comments).
 * Timestamps are epoch milliseconds; stores convert to their own format at the edge.
 */

/** Event types accepted from the wire (seed 000). Stored events may carry other types (e.g. `identify`). */
export type EventType = 'pageView' | 'custom' | 'jsError';

/** `websites`: the per-site configuration that drives the pipeline's drop rules. */
export interface WebsiteConfig {
  /** Record id (15 chars `[a-z0-9]`). Other records reference it. */
  id: string;
  /** Public id sent by trackers; `siteId` in seed 000. Unique. */
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
  eventCount: number;
  isEngaged: boolean;
  startedAt: number;
  lastActivityAt: number;
  /** Seconds. */
  duration: number;
}

/** `events`: immutable rows, inserted once (an id already stored is skipped). */
export interface EventRecord {
  id: string;
  session: string;
  website: string;
  type: string;
  path: string;
  eventName: string;
  eventData?: Record<string, unknown>;
  timestamp: number;
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
}

/** A stored js_errors row as returned by stats. */
export interface JsErrorSummary {
  errorHash: string;
  errorMessage: string;
  count: number;
  lastSeen: number;
}
