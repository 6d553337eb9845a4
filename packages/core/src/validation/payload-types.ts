import type { EventType } from '../model/records.ts';

/** The Skopos browser payload (seed 000), as sent to `trackApiEvent` and the HTTP write endpoint. */
export interface ApiEventPayload {
  type: EventType;
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
}

/**
 * One event of a seed 002 batch (`{ "events": TrackerEvent[] }`): the seed 000 payload plus
 * optional fields a tracker may add.
 */
export interface TrackerEvent extends ApiEventPayload {
  /** Tracking id, when one endpoint serves several sites (else the endpoint's own). */
  siteId?: string;
  /** Client-made id (≤ 64 chars `[A-Za-z0-9_-]`): a re-sent batch is stored once. */
  eventId?: string;
  /** Client clock, epoch ms; informative (the server clock orders events). */
  ts?: number;
}

/** A validated event with every stored limit applied. */
export interface SanitizedEvent {
  type: EventType;
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
}

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `customData.a.__proto__` or `events.3.url`. */
  field: string;
  reason: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };
