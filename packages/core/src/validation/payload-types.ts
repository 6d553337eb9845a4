import type { EventLevel, EventType, MonitorEventType } from '../model/event-types.ts';
import type { EventMeta } from '../model/records.ts';

/** The Skopos browser payload (the original Skopos SDK's), as sent to `trackApiEvent` and the HTTP write endpoint. */
export interface ApiEventPayload {
  /** `engagement` is Skopos' tracker reporting a page's visible time in `duration`: never stored as an event. */
  type: EventType | 'engagement';
  /** Custom event name (required for `custom`). */
  name?: string;
  url: string;
  referrer?: string;
  screenWidth?: number;
  screenHeight?: number;
  language?: string;
  customData?: Record<string, unknown>;
  /** Required for `jsError`. */
  errorMessage?: string;
  stackTrace?: string;
  /** `engagement` only: seconds the page was visible since it was last reported. */
  duration?: number;
}

/**
 * One event of a Skopos batch (`{ "events": TrackerEvent[] }`): the original Skopos SDK payload plus
 * optional fields a tracker may add.
 */
export interface TrackerEvent extends ApiEventPayload {
  /** Tracking id, when one endpoint serves several sites (else the endpoint's own). */
  siteId?: string;
  /** Client-made id (≤ 64 chars `[A-Za-z0-9_-]`): a re-sent batch is stored once. */
  eventId?: string;
  /** Client clock, epoch ms: the event's time when within the accepted skew of the server's clock. */
  ts?: number;
}

/** A validated event with every stored limit applied. */
export interface SanitizedEvent {
  type: EventType | 'engagement';
  /** '' for pageView / jsError. */
  name: string;
  /** Parsed `url` (≤ 4096 on the wire). */
  url: URL;
  /** `url` cut to the stored limit (2048). */
  storedUrl: string;
  referrer: string;
  screenWidth: number;
  screenHeight: number;
  language: string;
  customData?: Record<string, unknown>;
  errorMessage: string;
  stackTrace: string;
  siteId?: string;
  eventId?: string;
  ts?: number;
  /** `engagement` only: visible seconds (0 otherwise). */
  duration: number;
}

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `customData.a.__proto__` or `events.3.url`. */
  field: string;
  reason: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A validated vite-plugin-monitor `TrackerEvent` (see `validateMonitorEvent`). */
export interface SanitizedMonitorEvent {
  type: MonitorEventType;
  level: EventLevel;
  /** The client's clock (epoch ms) from `timestamp`; NaN when it was unreadable, absent when not sent. */
  clientTime?: number;
  appId?: string;
  sessionId?: string;
  userId?: string;
  groupId?: string;
  /** The event's own non-empty `id` (an identity for re-sends); vite-plugin-monitor 2.x sends ''. */
  id?: string;
  /** A JSON-safe copy, checked against the type's fields; ≤ `LIMITS.payloadMaxBytes`. */
  payload: Record<string, unknown>;
  /**
   * SHA-256 (hex) of the payload's JSON as it was before it was cut to fit, when it was: two events
   * that differ only in what the cut removed must not share a derived identity (see `prepareMonitorEvent`).
   */
  payloadDigest?: string;
  meta: EventMeta;
  context?: Record<string, unknown>;
}
