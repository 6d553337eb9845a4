import type { JsErrorDelta, SessionRecord, VisitorRecord, WebsiteConfig } from '@skopos/core';
import { fromPbDate, toPbDate } from './dates.ts';

/** A PocketBase record as the SDK returns it. */
export type Row = Record<string, unknown>;

export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
/** A number field; a numeric text too (the original Skopos dashboard stores screen sizes as text). */
const num = (value: unknown): number => {
  if (typeof value === 'number') return value;
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : 0;
};
export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Optional text fields are stored as '' by PocketBase; the Skopos records leave them out. */
export function optionalText<K extends string>(row: Row, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) if (str(row[key]) !== '') out[key] = str(row[key]);
  return out;
}

export function websiteFromRow(row: Row): WebsiteConfig {
  return {
    id: str(row.id),
    trackingId: str(row.trackingId),
    name: str(row.name),
    domain: str(row.domain),
    disableLocalhostTracking: row.disableLocalhostTracking === true,
    isArchived: row.isArchived === true,
    ipBlacklist: stringList(row.ipBlacklist),
    storeRawIp: row.storeRawIp === true,
    discardShortSessions: row.discardShortSessions === true,
    dataRetentionDays: num(row.dataRetentionDays),
    ...optionalText(row, ['sdkVersion'] as const),
  };
}

/** Only the fields present: an anonymous upsert must not erase what `identify` stored. */
export function visitorBody(visitor: VisitorRecord): Row {
  const body: Row = {};
  for (const [key, value] of Object.entries(visitor)) if (value !== undefined) body[key] = value;
  return body;
}

export function visitorFromRow(row: Row): VisitorRecord {
  return {
    id: str(row.id),
    website: str(row.website),
    visitorId: str(row.visitorId),
    ...optionalText(row, ['userId', 'name', 'email', 'phone'] as const),
    ...(isObject(row.metadata) ? { metadata: row.metadata } : {}),
  };
}

/** The full latest row (sessions are upserted whole). */
export function sessionBody(session: SessionRecord): Row {
  return {
    ...session,
    // Like the hook route: known when the row carries a count (every row written since 0.2).
    pageViewsKnown: typeof session.pageViews === 'number',
    ipAddress: session.ipAddress ?? '',
    startedAt: toPbDate(session.startedAt),
    lastActivityAt: toPbDate(session.lastActivityAt),
  };
}

const SESSION_TEXT = [
  'website',
  'visitor',
  'browser',
  'os',
  'device',
  'language',
  'entryPath',
  'exitPath',
  'referrer',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'country',
  'state',
] as const;

export function sessionFromRow(row: Row): SessionRecord {
  const text = Object.fromEntries(SESSION_TEXT.map((key) => [key, str(row[key])])) as Record<
    (typeof SESSION_TEXT)[number],
    string
  >;
  const session: SessionRecord = {
    id: str(row.id),
    ...text,
    screenWidth: num(row.screenWidth),
    screenHeight: num(row.screenHeight),
    ...optionalText(row, ['ipAddress'] as const),
    isNewVisitor: row.isNewVisitor === true,
    eventCount: num(row.eventCount),
    pageViews: num(row.pageViews),
    isEngaged: row.isEngaged === true,
    startedAt: fromPbDate(row.startedAt),
    lastActivityAt: fromPbDate(row.lastActivityAt),
    duration: num(row.duration),
  };
  if (row.pageViewsKnown === true) return session;
  // A row written by Skopos 0.1: it never counted page views, and PocketBase shows the column added
  // by the upgrade as 0. Reading it as 0 would drop the session from the bounce rate; without the
  // field, core's `isBounce`/`hasPageViews` judge it by `isEngaged` alone, as 0.1 did.
  const { pageViews: _unknown, ...legacy } = session;
  return legacy as SessionRecord;
}

/** A JSON array of strings; rows written before 0.2 hold none (null). */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function jsErrorFromRow(row: Row): JsErrorDelta {
  return {
    website: str(row.website),
    session: str(row.session),
    errorHash: str(row.errorHash),
    errorMessage: str(row.errorMessage),
    stackTrace: str(row.stackTrace),
    url: str(row.url),
    count: num(row.count),
    firstSeen: fromPbDate(row.firstSeen),
    lastSeen: fromPbDate(row.lastSeen),
    pages: stringList(row.pages),
  };
}
