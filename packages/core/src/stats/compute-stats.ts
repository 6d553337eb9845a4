import type { Stats, StatsQuery } from '../model/query.ts';
import type { EventRecord, JsErrorSummary, SessionRecord } from '../model/records.ts';
import { EventTally } from './event-tally.ts';
import { finishStats } from './finish-stats.ts';

export interface ComputeStatsInput {
  /** Events of any site and time: those outside the query's website and range are skipped. */
  events: Iterable<EventRecord>;
  /**
   * Session rows (later rows with the same id win, as in an upsert): at least those with an event
   * in range, and those with `activeSince ≤ lastActivityAt < until` for `activeNow` (a session kept
   * alive by engagement signals has no event in range).
   */
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

/**
 * The reference aggregation behind `Store.stats`, for stores that hold their rows in memory (and
 * the yardstick native implementations are tested against). Definitions:
 * - `events`/`pageviews`: events of the website with `since ≤ timestamp < until`; page views are
 *   `pageView` events and `navigation` events that leave their page (`isPageView`).
 * - `sessions`: session rows with at least one such event (not `startedAt` in range: a session
 *   that began before `since` but was active inside it counts); `visitors` = their distinct
 *   `visitor`; `bounceRate` = share of the sessions with page views that are not `isEngaged`
 *   (`isBounce`); `avgDuration` = mean `duration` (s, from client event times).
 * - `activeNow`: sessions of the website with `activeSince ≤ lastActivityAt < until`
 *   (`activeSince` defaults to `until` − 5 min).
 * - Top lists (`top` rows, default 10, ties by key, '' = unknown left out): `topPages` by page-view
 *   `path`, `eventNames` by custom-event `eventName` (`isUserCustomEvent`), `referrers` by the session referrer's host
 *   without `www.`, and `utmSources`, `countries`, `browsers`, `os`, `devices` by session field.
 * - `series`: buckets aligned to `bucketMs` (see `seriesLayout`) with the events, page views,
 *   distinct sessions and `error`-level events of each.
 * - `types`/`levels`: every type and level of the events in range (no level = `info`), uncut.
 * - `http` (only with `http` events) and `navigation` (only with `navigation` events): read from
 *   the payloads by `httpCallOf` and `navigationStepOf`, ranked as `HttpStats` and
 *   `Stats.navigation` document.
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
