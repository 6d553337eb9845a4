import { referrerDomain } from '../detect/path.ts';
import { ACTIVE_WINDOW_MS, type SeriesPoint, type Stats, type StatsQuery } from '../model/query.ts';
import type { JsErrorSummary, SessionRecord } from '../model/records.ts';
import { hasPageViews, isBounce } from '../session/engagement.ts';
import type { EventTally } from './event-tally.ts';
import { topCountRows, topJsErrors, topLimit } from './ranking.ts';

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
      errors: tally.monitor.bucketErrors[i] ?? 0,
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
  // The top rows of a session field over the counted sessions.
  const bySession = (key: (row: SessionRecord) => string) => topCountRows(countBy(counted, key), top);
  return {
    visitors: new Set(counted.map((row) => row.visitor)).size,
    sessions: sessions === null ? tally.sessionIds.size : counted.length,
    pageviews: tally.pageviews,
    events: tally.events,
    bounceRate: withPageViews === 0 ? 0 : bounced / withPageViews,
    avgDuration: counted.length === 0 ? 0 : durationSum / counted.length,
    activeNow,
    topPages: topCountRows(tally.pages, top),
    referrers: bySession((row) => referrerDomain(row.referrer)),
    utmSources: bySession((row) => row.utmSource),
    countries: bySession((row) => row.country),
    browsers: bySession((row) => row.browser),
    os: bySession((row) => row.os),
    devices: bySession((row) => row.device),
    eventNames: topCountRows(tally.eventNames, top),
    jsErrors: topJsErrors(jsErrors, top),
    series,
    ...tally.monitor.finish(top),
    ...(sessions === null ? { sessionsKnown: false as const } : {}),
  };
}
