import { referrerDomain } from '../detect/path.ts';
import type { SeriesPoint, Stats, StatsQuery } from '../model/query.ts';
import type { EventRecord, JsErrorSummary, SessionRecord } from '../model/records.ts';
import { hasPageViews, isBounce } from '../session/engagement.ts';
import { EventTally } from './event-tally.ts';
import { topCountRows, topJsErrors, topLimit } from './ranking.ts';

/** "Active now" looks this far back from `until` unless the query says otherwise. */
export const ACTIVE_WINDOW_MS = 5 * 60_000;

export interface ComputeStatsInput {
  /** Events of any site and time: those outside the query's website and range are skipped. */
  events: Iterable<EventRecord>;
  /** Session rows (later rows with the same id win, as in an upsert). */
  sessions: Iterable<SessionRecord>;
  /**
   * The js_errors rows already chosen for this query (summaries carry no website or firstSeen, so
   * the caller selects them); they are only ranked and cut to `top`.
   */
  jsErrors?: Iterable<JsErrorSummary>;
  query: StatsQuery;
  /**
   * Whether `sessions` is the store's session table (default true). False when only events are
   * known (the `statsFromQuery` fallback): `sessions` then counts the distinct session ids of the
   * events and every session-derived figure is 0 or empty.
   */
  sessionsKnown?: boolean;
}

function countBy(rows: readonly SessionRecord[], key: (row: SessionRecord) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const value = key(row);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

/**
 * Turn a tally of events into `Stats`. With `sessions` (a map by id), the counted sessions are the
 * rows having at least one event in range; without, the distinct session ids of the events.
 */
export function finishStats(
  tally: EventTally,
  query: StatsQuery,
  sessions: ReadonlyMap<string, SessionRecord> | null,
  jsErrors: Iterable<JsErrorSummary>,
): Stats {
  const top = topLimit(query.top);
  const { start, bucketMs, count } = tally.layout;
  const inTable = (id: string): boolean => sessions === null || sessions.has(id);
  const series: SeriesPoint[] = [];
  for (let i = 0; i < count; i++) {
    let bucketSessions = 0;
    for (const id of tally.bucketSessions[i] ?? []) if (inTable(id)) bucketSessions++;
    series.push({
      t: start + i * bucketMs,
      pageviews: tally.bucketPageviews[i] ?? 0,
      events: tally.bucketEvents[i] ?? 0,
      sessions: bucketSessions,
    });
  }
  const counted: SessionRecord[] = [];
  if (sessions !== null) {
    for (const id of tally.sessionIds) {
      const row = sessions.get(id);
      if (row !== undefined) counted.push(row);
    }
  }
  let bounced = 0;
  let withPageViews = 0;
  let durationSum = 0;
  for (const row of counted) {
    if (hasPageViews(row)) withPageViews++;
    if (isBounce(row)) bounced++;
    durationSum += row.duration;
  }
  let activeNow = 0;
  if (sessions !== null) {
    const activeSince = query.activeSince ?? query.until - ACTIVE_WINDOW_MS;
    for (const row of sessions.values()) {
      if (query.website !== undefined && row.website !== query.website) continue;
      if (row.lastActivityAt >= activeSince && row.lastActivityAt < query.until) activeNow++;
    }
  }
  return {
    visitors: new Set(counted.map((row) => row.visitor)).size,
    sessions: sessions === null ? tally.sessionIds.size : counted.length,
    pageviews: tally.pageviews,
    events: tally.events,
    bounceRate: withPageViews === 0 ? 0 : bounced / withPageViews,
    avgDuration: counted.length === 0 ? 0 : durationSum / counted.length,
    activeNow,
    topPages: topCountRows(tally.pages, top),
    referrers: topCountRows(
      countBy(counted, (row) => referrerDomain(row.referrer)),
      top,
    ),
    utmSources: topCountRows(
      countBy(counted, (row) => row.utmSource),
      top,
    ),
    countries: topCountRows(
      countBy(counted, (row) => row.country),
      top,
    ),
    browsers: topCountRows(
      countBy(counted, (row) => row.browser),
      top,
    ),
    os: topCountRows(
      countBy(counted, (row) => row.os),
      top,
    ),
    devices: topCountRows(
      countBy(counted, (row) => row.device),
      top,
    ),
    eventNames: topCountRows(tally.eventNames, top),
    jsErrors: topJsErrors(jsErrors, top),
    series,
  };
}

/**
 * The reference aggregation behind `Store.stats`, for stores that hold their rows in memory (and
 * the yardstick native implementations are tested against). Definitions:
 * - `events`/`pageviews`: events of the website with `since ≤ timestamp < until`; page views are
 *   `pageView` and `navigation` events (`isPageViewType`).
 * - `sessions`: session rows with at least one such event (not `startedAt` in range: a session
 *   that began before `since` but was active inside it counts); `visitors` = their distinct
 *   `visitor`; `bounceRate` = share of the sessions with page views that are not `isEngaged`
 *   (`isBounce`); `avgDuration` = mean `duration` (s, from client event times).
 * - `activeNow`: sessions of the website with `activeSince ≤ lastActivityAt < until`
 *   (`activeSince` defaults to `until` − 5 min).
 * - Top lists (`top` rows, default 10, ties by key, '' = unknown left out): `topPages` by page-view
 *   `path`, `eventNames` by custom-event `eventName` (`isUserCustomEvent`), `referrers` by the session referrer's host
 *   without `www.`, and `utmSources`, `countries`, `browsers`, `os`, `devices` by session field.
 * - `series`: buckets aligned to `bucketMs` (see `seriesLayout`) with the events, page views and
 *   distinct sessions of each.
 *
 * @example
 * const stats = computeStats({ events, sessions, query: { website: site.id, since, until } });
 */
export function computeStats(input: ComputeStatsInput): Stats {
  const tally = new EventTally(input.query);
  for (const event of input.events) tally.add(event);
  let sessions: Map<string, SessionRecord> | null = null;
  if (input.sessionsKnown !== false) {
    sessions = new Map();
    for (const row of input.sessions) sessions.set(row.id, row);
  }
  return finishStats(tally, input.query, sessions, input.jsErrors ?? []);
}
