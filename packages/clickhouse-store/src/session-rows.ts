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

/**
 * The row's version. A row with a `revision` (shared sessions: several processes write one
 * session, each row numbered) has it as its version: a lower revision never replaces a higher one.
 * Otherwise the newest state of a session wins, in whatever order rows reach ClickHouse.
 * The pipeline only ever moves a session forward — `eventCount`, `pageViews`, `duration` and
 * `lastActivityAt` grow, `startedAt` can only move earlier, `isEngaged` goes from false to true —
 * so their sum (with the span `lastActivityAt − startedAt` in ms) grows with every change that
 * matters. Two rows of equal version: the later insert wins (ReplacingMergeTree), which is the
 * latest write in one process.
 */
export function sessionVersion(session: SessionRecord): number {
  const revision = revisionOf(session);
  if (revision !== undefined) return revision;
  const span = Math.max(0, session.lastActivityAt - session.startedAt);
  return (
    session.eventCount +
    session.pageViews +
    (session.isEngaged ? 1 : 0) +
    Math.max(0, Math.round(session.duration)) +
    span
  );
}

/**
 * The row of a session, field by field: a field a later core adds to `SessionRecord` is not sent
 * (ClickHouse would refuse the whole INSERT for an unknown column) until the schema has it.
 */
export function sessionToRow(session: SessionRecord): SessionRow {
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
    version: sessionVersion(session),
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
