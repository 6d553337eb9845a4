import type { ClickHouseHttp } from './http-client.ts';

/**
 * The tables, for ClickHouse 18.16 and later. Times are epoch ms in `UInt64` (18.16 has no
 * DateTime64); events are partitioned by month and ordered by (website, timestamp, id), so a
 * time-range query of one site reads only its key range.
 *
 * Deduplication (ClickHouse has no unique keys, merges run in the background):
 * - `events`, `event_ids`, `js_errors`: ReplacingMergeTree; a retried row has the same sorting key
 *   and reads go through `FINAL`, so it counts once before and after merges.
 * - `sessions`: ReplacingMergeTree(`version`): a row with a `revision` beats rows without one and
 *   lower revisions; otherwise the latest write wins (see `sessionVersion`).
 * - `visitors`: one row per (visitor, set of identify fields present); reads take, per field, the
 *   latest row that has it (identify data survives anonymous writes).
 * - `discarded_sessions`: tombstones by (website, session); reads leave out their sessions and events.
 */
const TABLES: Record<string, string> = {
  events: `(
    website String, timestamp UInt64, id String, session String, type String, path String,
    eventName String, level Nullable(String), userId Nullable(String), clientSessionId Nullable(String),
    groupId Nullable(String), appId Nullable(String), receivedAt Nullable(UInt64),
    clockAdjusted Nullable(UInt8), eventData String, context String, payload String, meta String,
    isPageView UInt8, isUserCustom UInt8, httpKey String, httpClass String, httpDuration Float64,
    navFrom String, navTo String
  ) ENGINE = ReplacingMergeTree
  PARTITION BY toYYYYMM(toDateTime(intDiv(timestamp, 1000)))
  ORDER BY (website, timestamp, id)`,
  // Event id → session by (website, id): what knownEvents reads without scanning a site's events.
  event_ids: `(website String, id String, session String)
  ENGINE = ReplacingMergeTree ORDER BY (website, id)`,
  sessions: `(
    website String, visitor String, id String, browser String, os String, device String,
    screenWidth UInt32, screenHeight UInt32, language String, entryPath String, exitPath String,
    referrer String, referrerDomain String, utmSource String, utmMedium String, utmCampaign String,
    country String, state String, ipAddress Nullable(String), isNewVisitor UInt8, eventCount UInt32,
    pageViews UInt32, isEngaged UInt8, startedAt UInt64, lastActivityAt UInt64, duration Float64,
    revision Nullable(UInt64), version UInt64
  ) ENGINE = ReplacingMergeTree(version) ORDER BY (website, visitor, id)`,
  visitors: `(
    website String, visitorId String, id String, present UInt8, userId String, name String,
    email String, phone String, metadata String, written UInt64
  ) ENGINE = ReplacingMergeTree(written) ORDER BY (website, visitorId, id, present)`,
  js_errors: `(
    website String, errorHash String, id String, session String, errorMessage String,
    stackTrace String, url String, count UInt64, firstSeen UInt64, lastSeen UInt64,
    pages Array(String), written UInt64, keep UInt64
  ) ENGINE = ReplacingMergeTree(keep) ORDER BY (website, errorHash, id)`,
  // Per site, so a read filters only its site's tombstones (website '' = site unknown, see discards.ts).
  discarded_sessions: `(website String, session String, discardedAt UInt64)
  ENGINE = ReplacingMergeTree ORDER BY (website, session)`,
  websites: `(
    trackingId String, id String, name String, domain String, disableLocalhostTracking UInt8,
    isArchived UInt8, ipBlacklist Array(String), storeRawIp UInt8, discardShortSessions UInt8,
    dataRetentionDays UInt32, sdkVersion Nullable(String), written UInt64
  ) ENGINE = ReplacingMergeTree(written) ORDER BY trackingId`,
  secrets: `(key String, value String, written UInt64)
  ENGINE = MergeTree ORDER BY (key, written, value)`,
};

/** Create the database and every table unless they exist (safe on every start, and concurrently). */
export async function ensureSchema(http: ClickHouseHttp, database: string): Promise<void> {
  await http.command(`CREATE DATABASE IF NOT EXISTS ${database}`, `CREATE DATABASE ${database}`);
  for (const [name, definition] of Object.entries(TABLES)) {
    await http.command(
      `CREATE TABLE IF NOT EXISTS ${database}.${name} ${definition}`,
      `CREATE TABLE ${database}.${name}`,
    );
  }
}
