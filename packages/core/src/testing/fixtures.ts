import type {
  EventRecord,
  JsErrorDelta,
  SessionRecord,
  VisitorRecord,
  WebsiteConfig,
} from '../model/records.ts';
import type { WriteBatch } from '../model/write-batch.ts';
import { emptyBatch } from '../model/write-batch.ts';
import { newId } from '../util/ids.ts';

/**
 * The instant every conformance case counts from (2024-01-15 12:00:00 UTC), so that runs are
 * deterministic and never depend on the clock.
 */
export const BASE_TIME: number = Date.UTC(2024, 0, 15, 12, 0, 0);

/**
 * A website with every field set, fresh ids and the permissive defaults (no drop rule active).
 *
 * @example
 * const site = makeWebsite({ domain: 'shop.example' });
 */
export function makeWebsite(overrides: Partial<WebsiteConfig> = {}): WebsiteConfig {
  const id = newId();
  return {
    id,
    trackingId: `site-${id}`,
    name: 'Example site',
    domain: 'example.com',
    disableLocalhostTracking: false,
    isArchived: false,
    ipBlacklist: [],
    storeRawIp: false,
    discardShortSessions: false,
    dataRetentionDays: 0,
    ...overrides,
  };
}

/**
 * An anonymous visitor of `website` (a website record id); pass identify fields as overrides.
 *
 * @example
 * const visitor = makeVisitor(site.id, { userId: 'user-1' });
 */
export function makeVisitor(website: string, overrides: Partial<VisitorRecord> = {}): VisitorRecord {
  return { id: newId(), website, visitorId: `${newId()}${newId()}`, ...overrides };
}

/**
 * A one-event session of `visitor`, started at `BASE_TIME` unless overridden.
 *
 * @example
 * const session = makeSession(visitor, { startedAt: BASE_TIME + 60_000 });
 */
export function makeSession(visitor: VisitorRecord, overrides: Partial<SessionRecord> = {}): SessionRecord {
  const startedAt = overrides.startedAt ?? BASE_TIME;
  return {
    id: newId(),
    website: visitor.website,
    visitor: visitor.id,
    browser: 'Chrome',
    os: 'macOS',
    device: 'desktop',
    screenWidth: 1920,
    screenHeight: 1080,
    language: 'en-US',
    entryPath: '/',
    exitPath: '/',
    referrer: 'https://search.example/',
    utmSource: 'newsletter',
    utmMedium: 'email',
    utmCampaign: 'spring',
    country: 'DE',
    state: 'BE',
    isNewVisitor: true,
    eventCount: 1,
    pageViews: 1,
    isEngaged: false,
    startedAt,
    lastActivityAt: startedAt,
    duration: 0,
    ...overrides,
  };
}

/**
 * A page view in `session`, at the session start unless overridden.
 *
 * @example
 * const click = makeEvent(session, { type: 'custom', eventName: 'signup', eventData: { plan: 'pro' } });
 */
export function makeEvent(session: SessionRecord, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: newId(),
    session: session.id,
    website: session.website,
    type: 'pageView',
    path: '/',
    eventName: '',
    timestamp: session.startedAt,
    ...overrides,
  };
}

/**
 * A js-error delta first seen in `session`, counted once at the session start unless overridden.
 *
 * @example
 * const delta = makeJsError(session, { errorHash: 'abc', count: 3 });
 */
export function makeJsError(session: SessionRecord, overrides: Partial<JsErrorDelta> = {}): JsErrorDelta {
  return {
    website: session.website,
    session: session.id,
    errorHash: newId(),
    errorMessage: 'TypeError: cannot read properties of undefined',
    stackTrace:
      'TypeError: cannot read properties of undefined\n    at render (https://example.com/app.js:1:10)',
    url: 'https://example.com/',
    pages: ['/'],
    count: 1,
    firstSeen: session.startedAt,
    lastSeen: session.startedAt,
    ...overrides,
  };
}

/** A complete `WriteBatch` from the parts given (the others empty). */
export function makeBatch(parts: Partial<WriteBatch>): WriteBatch {
  return { ...emptyBatch(), ...parts };
}
