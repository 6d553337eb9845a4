import {
  ACTIVE_WINDOW_MS,
  LEGACY_PAGE_EXIT_EVENT,
  type SeriesLayout,
  type SeriesPoint,
  type Stats,
  type StatsQuery,
  seriesLayout,
  topCountRows,
  topJsErrors,
  topLimit,
} from '@skopos/core';
import { DEAD } from './event-columns.ts';
import { ERROR_LEVEL, isSamePage, levelOf, ODD_LEVEL } from './event-flags.ts';
import type { EventRing } from './event-ring.ts';
import { IdCounter } from './id-counter.ts';
import type { Interner } from './interner.ts';
import type { JsErrorTable } from './js-error-table.ts';
import { MonitorCounts } from './monitor-counts.ts';
import type { ScratchArrays } from './scratch-arrays.ts';
import { SessionBuckets } from './session-buckets.ts';
import { HAS_ROW } from './session-columns.ts';
import { SessionPass } from './session-pass.ts';
import type { SessionTable } from './session-table.ts';

/** What the store hands to `nativeStats`. */
export interface StatsSources {
  ring: EventRing;
  sessions: SessionTable;
  values: Interner;
  visitors: Interner;
  jsErrors: JsErrorTable;
  /** The arrays each call counts into, lent and taken back. */
  scratch: ScratchArrays;
}

/**
 * The event pass of one stats call: counts into typed arrays indexed by interned id and session
 * slot. `scan` visits a run of slots with the loop body inline (the whole cost of a call);
 * `finish` does the pass over the sessions those events touched and builds the answer.
 */
export class StatsScan {
  readonly #sources: StatsSources;
  readonly #query: StatsQuery;
  readonly layout: SeriesLayout;
  /** Interned website id, -1 = every site; `noSite`: a website never stored (nothing matches). */
  readonly website: number;
  readonly noSite: boolean;
  readonly #pageView: number;
  readonly #navigation: number;
  readonly #custom: number;
  readonly #pageExit: number;
  readonly #http: number;
  /** Types, levels, errors per bucket, HTTP calls and navigation steps. */
  readonly #monitor: MonitorCounts;
  readonly #pages: IdCounter;
  readonly #eventNames: IdCounter;
  readonly #bucketEvents: Float64Array;
  readonly #bucketPageviews: Float64Array;
  readonly #seen: Uint8Array;
  readonly #touched: number[] = [];
  readonly #perBucket: SessionBuckets;
  #events = 0;
  #pageviews = 0;
  #released = false;
  // Events come nearly in time order: the previous event's bucket is tried first, sparing a division.
  #bucket = -1;
  #bucketStart = 0;
  #bucketEnd = 0;

  constructor(sources: StatsSources, query: StatsQuery) {
    const { sessions, values } = sources;
    this.#sources = sources;
    this.#query = query;
    this.layout = seriesLayout(query);
    this.website = query.website === undefined ? -1 : values.find(query.website);
    this.noSite = query.website !== undefined && this.website < 0;
    // Interned ids of the types core classifies (-1 when none is stored: no slot matches).
    this.#pageView = values.find('pageView');
    this.#navigation = values.find('navigation');
    this.#custom = values.find('custom');
    this.#pageExit = values.find(LEGACY_PAGE_EXIT_EVENT);
    this.#http = values.find('http');
    this.#monitor = new MonitorCounts(sources, this.layout.count, topLimit(query.top));
    const { scratch } = sources;
    this.#pages = new IdCounter(scratch.int32(values.capacity));
    this.#eventNames = new IdCounter(scratch.int32(values.capacity));
    this.#bucketEvents = new Float64Array(this.layout.count);
    this.#bucketPageviews = new Float64Array(this.layout.count);
    this.#seen = scratch.uint8(sessions.capacity);
    this.#perBucket = new SessionBuckets(this.layout.count, sessions.capacity, scratch);
  }

  /**
   * Count the events in range among `count` slots from `slot`: the site's queue order when
   * `walkQueue` (every linked event is live and of the site), else consecutive ring slots (checked
   * for tombstones and, for one site, the website).
   */
  scan(slot: number, count: number, walkQueue: boolean): void {
    const { ring } = this.#sources;
    const { since, until } = this.#query;
    const { timestamp, session, type, path, eventName, allocated } = ring;
    const websites = ring.website;
    const next = ring.sites.next;
    const website = this.website;
    const { bucketMs, start } = this.layout;
    const bucketEvents = this.#bucketEvents;
    const bucketPageviews = this.#bucketPageviews;
    const seen = this.#seen;
    const touched = this.#touched;
    const perBucket = this.#perBucket;
    const pageView = this.#pageView;
    const navigation = this.#navigation;
    const custom = this.#custom;
    const http = this.#http;
    const flags = ring.flags;
    const monitor = this.#monitor;
    const { levels, bucketErrors, types } = monitor;
    let bucket = this.#bucket;
    let bucketStart = this.#bucketStart;
    let bucketEnd = this.#bucketEnd;
    let events = 0;
    let pageviews = 0;
    for (let n = count; n > 0; n--) {
      const t = timestamp[slot] ?? Number.NaN;
      const s = session[slot] ?? DEAD;
      if (t >= since && t < until && s !== DEAD && (walkQueue || website < 0 || websites[slot] === website)) {
        if (!(t >= bucketStart && t < bucketEnd)) {
          bucket = Math.floor((t - start) / bucketMs);
          bucketStart = start + bucket * bucketMs;
          bucketEnd = bucketStart + bucketMs;
        }
        events++;
        bucketEvents[bucket] = (bucketEvents[bucket] ?? 0) + 1;
        const kind = type[slot] ?? 0;
        types[kind] = (types[kind] ?? 0) + 1;
        const flag = flags[slot] ?? 0;
        const level = levelOf(flag);
        levels[level] = (levels[level] ?? 0) + 1;
        if (level === ERROR_LEVEL) bucketErrors[bucket] = (bucketErrors[bucket] ?? 0) + 1;
        else if (level === ODD_LEVEL) monitor.oddLevel(slot);
        if (kind === pageView || kind === navigation) {
          // A navigation within its page is a step of the funnel, not a page view (core's `isPageView`).
          if (!isSamePage(flag)) {
            pageviews++;
            bucketPageviews[bucket] = (bucketPageviews[bucket] ?? 0) + 1;
            this.#pages.add(path[slot] ?? 0);
          }
          if (kind === navigation) monitor.step(slot);
        } else if (kind === custom) {
          const name = eventName[slot] ?? 0;
          if (name !== this.#pageExit) this.#eventNames.add(name);
        } else if (kind === http) {
          monitor.call(slot, t);
        }
        if (seen[s] === 0) {
          seen[s] = 1;
          touched.push(s);
        }
        // Sessions without a row are taken back by `finish` (rows may change during a yielding call).
        perBucket.add(s, bucket);
      }
      if (walkQueue) slot = next[slot] ?? 0;
      else if (++slot === allocated) slot = 0;
    }
    this.#events += events;
    this.#pageviews += pageviews;
    this.#bucket = bucket;
    this.#bucketStart = bucketStart;
    this.#bucketEnd = bucketEnd;
  }

  /** The pass over the sessions the events touched: stepped by the caller, then given to `answer`. */
  sessionPass(): SessionPass {
    const { sessions, visitors, values, scratch } = this.#sources;
    const { until } = this.#query;
    return new SessionPass({
      sessions,
      visitors,
      values,
      scratch,
      touched: this.#touched,
      site: this.#query.website,
      activeSince: this.#query.activeSince ?? until - ACTIVE_WINDOW_MS,
      until,
    });
  }

  /** The answer from the counted events and `pass` (done); gives every scratch array back. */
  answer(pass: SessionPass): Stats {
    const { values, sessions } = this.#sources;
    const { layout } = this;
    const query = this.#query;
    const { since, until } = query;
    const top = topLimit(query.top);
    const perBucket = this.#perBucket;
    const { flags } = sessions;
    // Only sessions with a row count, as in computeStats with the session table.
    perBucket.settle((s) => ((flags[s] ?? 0) & HAS_ROW) !== 0, pass.rowless);
    const series: SeriesPoint[] = [];
    for (let i = 0; i < layout.count; i++) {
      series.push({
        t: layout.start + i * layout.bucketMs,
        pageviews: this.#bucketPageviews[i] ?? 0,
        events: this.#bucketEvents[i] ?? 0,
        sessions: perBucket.counts[i] ?? 0,
        errors: this.#monitor.bucketErrors[i] ?? 0,
      });
    }
    // js_errors rows carry the website id as a string: no interned id needed to select them.
    const errors = this.#sources.jsErrors
      .list(query.website)
      .filter((row) => row.firstSeen < until && row.lastSeen >= since);
    const figures = pass.figures(top);
    const stats: Stats = {
      visitors: figures.visitors,
      sessions: figures.sessions,
      pageviews: this.#pageviews,
      events: this.#events,
      bounceRate: figures.bounceRate,
      avgDuration: figures.avgDuration,
      activeNow: figures.activeNow,
      topPages: topCountRows(this.#pages.entries(values), top),
      referrers: figures.referrers,
      utmSources: figures.utmSources,
      countries: figures.countries,
      browsers: figures.browsers,
      os: figures.os,
      devices: figures.devices,
      eventNames: topCountRows(this.#eventNames.entries(values), top),
      jsErrors: topJsErrors(errors, top),
      series,
      ...this.#monitor.finish(values),
    };
    this.release();
    return stats;
  }

  /** Give the scratch arrays back (also when the call fails). Idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    const { scratch } = this.#sources;
    this.#pages.release(scratch);
    this.#eventNames.release(scratch);
    scratch.give(this.#seen, this.#touched);
    this.#perBucket.release(scratch, this.#touched);
    this.#monitor.release(scratch);
  }

  /** The pass over the touched sessions (their rows as they are now), and the answer. */
  finish(): Stats {
    const pass = this.sessionPass();
    try {
      pass.run();
      return this.answer(pass);
    } finally {
      pass.release();
      this.release();
    }
  }
}

/**
 * `Store.stats` over the columns, with the definitions of core's `computeStats` (tests hold the two
 * equal): one pass over the events (for one site, only its own, through its queue) counting into
 * typed arrays indexed by interned id, then one pass over the sessions those events touched. Page
 * views are core's `isPageView` (`pageView`, a `navigation` that leaves its page), event names those of
 * `isUserCustomEvent` (`custom` but not the 0.1 tracker's `page-exit`), bounces core's `isBounce`
 * over `hasPageViews`, both decided per row when it is written; HTTP stats and the navigation
 * funnel come from `MonitorColumns`, decided per event when it is written (no payload JSON is read
 * here). Blocks for the whole pass (~10–20 ms per 500k events): see `StatsScheduler` for a server.
 */
export function nativeStats(sources: StatsSources, query: StatsQuery): Stats {
  const scan = new StatsScan(sources, query);
  const { ring } = sources;
  if (scan.website >= 0) {
    const queue = ring.sites.find(scan.website);
    if (queue !== undefined) scan.scan(queue.first, queue.held, true);
  } else if (!scan.noSite) {
    scan.scan(ring.firstSeq % ring.allocated, ring.nextSeq - ring.firstSeq, false);
  }
  return scan.finish();
}
