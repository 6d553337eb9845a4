import {
  ACTIVE_WINDOW_MS,
  type CountRow,
  LEGACY_PAGE_EXIT_EVENT,
  referrerDomain,
  type SeriesPoint,
  type Stats,
  type StatsQuery,
  seriesLayout,
  topCountRows,
  topJsErrors,
  topLimit,
} from '@skopos/core';
import type { EventRing } from './event-ring.ts';
import { IdCounter } from './id-counter.ts';
import type { Interner } from './interner.ts';
import type { JsErrorTable } from './js-error-table.ts';
import { scanRange } from './scan-range.ts';
import { SessionBuckets } from './session-buckets.ts';
import { BOUNCED, HAS_ROW, type SessionTable, WITH_PAGE_VIEWS } from './session-table.ts';

/** Session fields ranked in the stats, in the order of `ranked` below. */
const DIMENSIONS = ['utmSource', 'country', 'browser', 'os', 'device'] as const;

/** What the store hands to `nativeStats`. */
export interface StatsSources {
  ring: EventRing;
  sessions: SessionTable;
  values: Interner;
  visitors: Interner;
  jsErrors: JsErrorTable;
}

/**
 * `Store.stats` over the columns, with the definitions of core's `computeStats` (tests hold the two
 * equal): one pass over the events counting into typed arrays indexed by interned id, then one pass
 * over the sessions those events touched (~20 ms for 500k events). Page views are core's
 * `isPageViewType` (`pageView`, `navigation`), event names those of `isUserCustomEvent` (`custom`
 * but not the 0.1 tracker's `page-exit`), bounces core's `isBounce` over `hasPageViews`, both
 * decided per row when it is written.
 */
export function nativeStats(sources: StatsSources, query: StatsQuery): Stats {
  const { ring, sessions, values, visitors } = sources;
  const layout = seriesLayout(query);
  const top = topLimit(query.top);
  const { since, until } = query;
  const website = query.website === undefined ? -1 : values.find(query.website);
  const noSite = query.website !== undefined && website < 0;
  // Interned ids of the types core classifies (-1 when none is stored: no slot matches).
  const pageView = values.find('pageView');
  const navigation = values.find('navigation');
  const custom = values.find('custom');
  const pageExit = values.find(LEGACY_PAGE_EXIT_EVENT);
  const pages = new IdCounter(values.capacity);
  const eventNames = new IdCounter(values.capacity);
  const bucketEvents = new Float64Array(layout.count);
  const bucketPageviews = new Float64Array(layout.count);
  const firstBucket = Math.floor(since / layout.bucketMs);
  const seen = new Uint8Array(sessions.capacity);
  const touched: number[] = [];
  const perBucket = new SessionBuckets(layout.count, sessions.capacity);
  const { type, path, eventName } = ring;
  let events = 0;
  let pageviews = 0;
  const bucketOf = (t: number): number => Math.floor(t / layout.bucketMs) - firstBucket;
  if (!noSite) {
    scanRange(ring, since, until, website, (slot, s, t) => {
      const bucket = bucketOf(t);
      events++;
      bucketEvents[bucket] = (bucketEvents[bucket] ?? 0) + 1;
      const kind = type[slot];
      if (kind === pageView || kind === navigation) {
        pageviews++;
        bucketPageviews[bucket] = (bucketPageviews[bucket] ?? 0) + 1;
        pages.add(path[slot] ?? 0);
      } else if (kind === custom) {
        const name = eventName[slot] ?? 0;
        if (name !== pageExit) eventNames.add(name);
      }
      if (seen[s] === 0) {
        seen[s] = 1;
        touched.push(s);
      }
      // Only sessions with a row count, as in computeStats with the session table.
      if (sessions.hasRow(s)) perBucket.add(s, bucket);
    });
  }
  if (perBucket.needsReplay) {
    perBucket.replay((visit) =>
      scanRange(ring, since, until, website, (_slot, s, t) => {
        if (sessions.hasRow(s)) visit(s, bucketOf(t));
      }),
    );
  }

  const { text, numbers, visitor, flags } = sessions;
  const visitorSeen = new Uint8Array(visitors.capacity);
  const referrers = new IdCounter(values.capacity);
  const dimensions = DIMENSIONS.map((field) => ({
    column: text[field],
    counter: new IdCounter(values.capacity),
  }));
  const duration = numbers.duration;
  let counted = 0;
  let uniqueVisitors = 0;
  let bounced = 0;
  let withPageViews = 0;
  let durationSum = 0;
  for (const s of touched) {
    const flag = flags[s] ?? 0;
    if ((flag & HAS_ROW) === 0) continue;
    counted++;
    const v = visitor[s] ?? 0;
    if (visitorSeen[v] === 0) {
      visitorSeen[v] = 1;
      uniqueVisitors++;
    }
    if ((flag & BOUNCED) !== 0) bounced++;
    if ((flag & WITH_PAGE_VIEWS) !== 0) withPageViews++;
    durationSum += duration[s] ?? 0;
    referrers.add(text.referrer[s] ?? 0);
    for (const { column, counter } of dimensions) counter.add(column[s] ?? 0);
  }
  const referrerHosts = new Map<string, number>();
  for (const [referrer, count] of referrers.entries(values)) {
    const host = referrerDomain(referrer);
    referrerHosts.set(host, (referrerHosts.get(host) ?? 0) + count);
  }

  let activeNow = 0;
  const activeSince = query.activeSince ?? until - ACTIVE_WINDOW_MS;
  const lastActivity = numbers.lastActivityAt;
  for (let s = noSite ? sessions.capacity : 0; s < sessions.capacity; s++) {
    if (!sessions.hasRow(s) || (website >= 0 && text.website[s] !== website)) continue;
    const at = lastActivity[s] ?? Number.NaN;
    if (at >= activeSince && at < until) activeNow++;
  }

  const series: SeriesPoint[] = [];
  for (let i = 0; i < layout.count; i++) {
    series.push({
      t: layout.start + i * layout.bucketMs,
      pageviews: bucketPageviews[i] ?? 0,
      events: bucketEvents[i] ?? 0,
      sessions: perBucket.counts[i] ?? 0,
    });
  }
  // js_errors rows carry the website id as a string: no interned id needed to select them.
  const errors = sources.jsErrors
    .list(query.website)
    .filter((row) => row.firstSeen < until && row.lastSeen >= since);
  const ranked = (i: number): CountRow[] => topCountRows(dimensions[i]?.counter.entries(values) ?? [], top);
  return {
    visitors: uniqueVisitors,
    sessions: counted,
    pageviews,
    events,
    bounceRate: withPageViews === 0 ? 0 : bounced / withPageViews,
    avgDuration: counted === 0 ? 0 : durationSum / counted,
    activeNow,
    topPages: topCountRows(pages.entries(values), top),
    referrers: topCountRows(referrerHosts, top),
    utmSources: ranked(0),
    countries: ranked(1),
    browsers: ranked(2),
    os: ranked(3),
    devices: ranked(4),
    eventNames: topCountRows(eventNames.entries(values), top),
    jsErrors: topJsErrors(errors, top),
    series,
  };
}
