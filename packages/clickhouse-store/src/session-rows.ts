import { referrerDomain, type SessionRecord } from '@skopos/core';

/** A `sessions` row as ClickHouse takes and answers it. */
export interface SessionRow
  extends Omit<SessionRecord, 'ipAddress' | 'isNewVisitor' | 'isEngaged' | 'revision'> {
  ipAddress: string | null;
  /** `SessionRecord.revision` (shared sessions), null when the row has none. */
  revision: number | null;
  isNewVisitor: number;
  isEngaged: number;
  /** `referrerDomain(referrer)`, decided when written: the stats group by it. */
  referrerDomain: string;
  version: number;
}

export const SESSION_COLUMNS =
  'id, website, visitor, browser, os, device, screenWidth, screenHeight, language, entryPath, ' +
  'exitPath, referrer, utmSource, utmMedium, utmCampaign, country, state, ipAddress, isNewVisitor, ' +
  'eventCount, pageViews, isEngaged, startedAt, lastActivityAt, duration, revision';

/** `SessionRecord.revision`, read without requiring a core that has the field. */
const revisionOf = (session: SessionRecord): number | undefined =>
  (session as { revision?: number }).revision;

/** Versions of rows with a `revision` start here: above every write-clock value (see below). */
const REVISION_BASE = 2 ** 52;

/**
 * The row's version (`ReplacingMergeTree(version)`: `FINAL` keeps the highest). A row with a
 * `revision` (shared sessions: several processes write one session, each row numbered) has
 * 2^52 + revision, so it never loses to a row without one or with a lower revision. A row
 * without one has the store's write clock (epoch ms × 1000, below 2^52 until 2112), so the
 * latest write wins. Both stay below 2^53: exact in JSON and in the UInt64 column.
 */
export function sessionVersion(session: SessionRecord, written: number): number {
  const revision = revisionOf(session);
  if (revision === undefined) return written;
  // Core numbers revisions 0, 1, 2…; anything else is clamped into the range rather than sent as NaN.
  const step = Number.isFinite(revision) ? Math.max(0, Math.floor(revision)) : 0;
  return REVISION_BASE + Math.min(REVISION_BASE - 1, step);
}

/**
 * The row of a session, field by field: a field a later core adds to `SessionRecord` is not sent
 * (ClickHouse would refuse the whole INSERT for an unknown column) until the schema has it.
 */
export function sessionToRow(session: SessionRecord, written: number): SessionRow {
  return {
    id: session.id,
    website: session.website,
    visitor: session.visitor,
    browser: session.browser,
    os: session.os,
    device: session.device,
    screenWidth: session.screenWidth,
    screenHeight: session.screenHeight,
    language: session.language,
    entryPath: session.entryPath,
    exitPath: session.exitPath,
    referrer: session.referrer,
    utmSource: session.utmSource,
    utmMedium: session.utmMedium,
    utmCampaign: session.utmCampaign,
    country: session.country,
    state: session.state,
    eventCount: session.eventCount,
    pageViews: session.pageViews,
    startedAt: session.startedAt,
    lastActivityAt: session.lastActivityAt,
    duration: session.duration,
    ipAddress: session.ipAddress ?? null,
    revision: revisionOf(session) ?? null,
    isNewVisitor: session.isNewVisitor ? 1 : 0,
    isEngaged: session.isEngaged ? 1 : 0,
    referrerDomain: referrerDomain(session.referrer),
    version: sessionVersion(session, written),
  };
}

type ReadRow = Omit<SessionRow, 'referrerDomain' | 'version'>;

export function sessionFromRow(row: ReadRow): SessionRecord {
  const { ipAddress, isNewVisitor, isEngaged, revision, ...rest } = row;
  const session: SessionRecord = {
    ...rest,
    isNewVisitor: isNewVisitor === 1,
    isEngaged: isEngaged === 1,
    startedAt: Number(row.startedAt),
    lastActivityAt: Number(row.lastActivityAt),
  };
  if (ipAddress !== null) session.ipAddress = ipAddress;
  if (revision !== null) Object.assign(session, { revision: Number(revision) });
  return session;
}
