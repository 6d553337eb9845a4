import {
  ACTIVE_WINDOW_MS,
  type CountRow,
  LEGACY_PAGE_EXIT_EVENT,
  referrerDomain,
  type SeriesLayout,
  type SeriesPoint,
  type Stats,
  type StatsQuery,
  seriesLayout,
  topCountRows,
  topJsErrors,
  topLimit,
} from '@skopos/core';
import { DEAD, type EventRing, type RingWatcher } from './event-ring.ts';
import { IdCounter } from './id-counter.ts';
import type { Interner } from './interner.ts';
import type { JsErrorTable } from './js-error-table.ts';
import { SessionBuckets } from './session-buckets.ts';
import { BOUNCED, HAS_ROW, type SessionTable, WITH_PAGE_VIEWS } from './session-table.ts';

/** Session fields ranked in the stats, in the order of `ranked` below. */
const DIMENSIONS = ['utmSource', 'country', 'browser', 'os', 'device'] as const;

/** Referrer URL → host, kept across calls: parsing each distinct URL is a URL parse (~1 µs). */
const referrerHosts = new Map<string, string>();
const MAX_CACHED_HOSTS = 50_000;

function hostOf(referrer: string): string {
  let host = referrerHosts.get(referrer);
  if (host === undefined) {
    host = referrerDomain(referrer);
    if (referrerHosts.size >= MAX_CACHED_HOSTS) referrerHosts.clear();
    referrerHosts.set(referrer, host);
  }
  return host;
}

/** What the store hands to `nativeStats`. */
export interface StatsSources {
  ring: EventRing;
  sessions: SessionTable;
  values: Interner;
  visitors: Interner;
  jsErrors: JsErrorTable;
}

/**
 * The event pass of one stats call: counts into typed arrays indexed by interned id and session
 * slot. `scan` visits a run of slots with the loop body inline (the whole cost of a call);
 * `finish` does the pass over the sessions those events touched and builds the answer.
 */
class StatsScan {
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
  readonly #firstBucket: number;
  readonly #pages: IdCounter;
  readonly #eventNames: IdCounter;
  readonly #bucketEvents: Float64Array;
  readonly #bucketPageviews: Float64Array;
  readonly #seen: Uint8Array;
  readonly #touched: number[] = [];
  readonly #perBucket: SessionBuckets;
  #events = 0;
  #pageviews = 0;
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
    this.#firstBucket = Math.floor(query.since / this.layout.bucketMs);
    this.#pages = new IdCounter(values.capacity);
    this.#eventNames = new IdCounter(values.capacity);
    this.#bucketEvents = new Float64Array(this.layout.count);
    this.#bucketPageviews = new Float64Array(this.layout.count);
    this.#seen = new Uint8Array(sessions.capacity);
    this.#perBucket = new SessionBuckets(this.layout.count, sessions.capacity);
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
    const { bucketMs } = this.layout;
    const firstBucket = this.#firstBucket;
    const bucketEvents = this.#bucketEvents;
    const bucketPageviews = this.#bucketPageviews;
    const seen = this.#seen;
    const touched = this.#touched;
    const perBucket = this.#perBucket;
    const pageView = this.#pageView;
    const navigation = this.#navigation;
    const custom = this.#custom;
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
          bucket = Math.floor(t / bucketMs) - firstBucket;
          bucketStart = (bucket + firstBucket) * bucketMs;
          bucketEnd = bucketStart + bucketMs;
        }
        events++;
        bucketEvents[bucket] = (bucketEvents[bucket] ?? 0) + 1;
        const kind = type[slot];
        if (kind === pageView || kind === navigation) {
          pageviews++;
          bucketPageviews[bucket] = (bucketPageviews[bucket] ?? 0) + 1;
          this.#pages.add(path[slot] ?? 0);
        } else if (kind === custom) {
          const name = eventName[slot] ?? 0;
          if (name !== this.#pageExit) this.#eventNames.add(name);
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

  /** The pass over the touched sessions (their rows as they are now), and the answer. */
  finish(): Stats {
    const { sessions, values, visitors } = this.#sources;
    const { layout, website, noSite } = this;
    const query = this.#query;
    const { since, until } = query;
    const top = topLimit(query.top);
    const perBucket = this.#perBucket;
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
    let rowless = false;
    for (const s of this.#touched) {
      const flag = flags[s] ?? 0;
      if ((flag & HAS_ROW) === 0) {
        rowless = true;
        continue;
      }
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
    // Only sessions with a row count, as in computeStats with the session table.
    perBucket.settle((s) => ((flags[s] ?? 0) & HAS_ROW) !== 0, rowless);
    const referrerHosts = new Map<string, number>();
    for (const [referrer, count] of referrers.entries(values)) {
      const host = hostOf(referrer);
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
        pageviews: this.#bucketPageviews[i] ?? 0,
        events: this.#bucketEvents[i] ?? 0,
        sessions: perBucket.counts[i] ?? 0,
      });
    }
    // js_errors rows carry the website id as a string: no interned id needed to select them.
    const errors = this.#sources.jsErrors
      .list(query.website)
      .filter((row) => row.firstSeen < until && row.lastSeen >= since);
    const ranked = (i: number): CountRow[] => topCountRows(dimensions[i]?.counter.entries(values) ?? [], top);
    return {
      visitors: uniqueVisitors,
      sessions: counted,
      pageviews: this.#pageviews,
      events: this.#events,
      bounceRate: withPageViews === 0 ? 0 : bounced / withPageViews,
      avgDuration: counted === 0 ? 0 : durationSum / counted,
      activeNow,
      topPages: topCountRows(this.#pages.entries(values), top),
      referrers: topCountRows(referrerHosts, top),
      utmSources: ranked(0),
      countries: ranked(1),
      browsers: ranked(2),
      os: ranked(3),
      devices: ranked(4),
      eventNames: topCountRows(this.#eventNames.entries(values), top),
      jsErrors: topJsErrors(errors, top),
      series,
    };
  }
}

/**
 * `Store.stats` over the columns, with the definitions of core's `computeStats` (tests hold the two
 * equal): one pass over the events (for one site, only its own, through its queue) counting into
 * typed arrays indexed by interned id, then one pass over the sessions those events touched. Page
 * views are core's `isPageViewType` (`pageView`, `navigation`), event names those of
 * `isUserCustomEvent` (`custom` but not the 0.1 tracker's `page-exit`), bounces core's `isBounce`
 * over `hasPageViews`, both decided per row when it is written. Blocks for the whole pass (~10–20 ms
 * per 500k events): see `StatsScheduler` for a server.
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

/** One stats call in flight in a `StatsScheduler`. */
class StatsTask {
  readonly scan: StatsScan;
  readonly #start: number;
  readonly #allocated: number;
  readonly total: number;
  done = 0;
  /** Slots ahead of the scan that a write touched: counted early, or holding an event to skip. */
  readonly #skip = new Set<number>();
  readonly watcher: RingWatcher;
  /** Tokens of its holds on the interned values and the session slots. */
  holds: [number, number] = [0, 0];
  readonly resolve: (stats: Stats) => void;
  readonly reject: (error: unknown) => void;

  constructor(
    scan: StatsScan,
    ring: EventRing,
    resolve: (stats: Stats) => void,
    reject: (error: unknown) => void,
  ) {
    this.scan = scan;
    this.resolve = resolve;
    this.reject = reject;
    this.#allocated = ring.allocated;
    this.#start = ring.firstSeq % this.#allocated;
    this.total = scan.noSite ? 0 : ring.nextSeq - ring.firstSeq;
    const skip = this.#skip;
    this.watcher = {
      releasing: (slot) => {
        if (!this.#ahead(slot) || skip.has(slot)) return;
        skip.add(slot);
        scan.scan(slot, 1, false);
      },
      appended: (slot) => {
        if (this.#ahead(slot)) skip.add(slot);
      },
    };
  }

  #ahead(slot: number): boolean {
    // The ring grows only before it first wraps (start 0): slots past `allocated` are new.
    if (slot >= this.#allocated) return false;
    const position = (slot - this.#start + this.#allocated) % this.#allocated;
    return position >= this.done && position < this.total;
  }

  /** Count the next `count` slots (fewer at the end); answers how many were looked at. */
  advance(count: number): number {
    const end = Math.min(this.total, this.done + count);
    const first = (this.#start + this.done) % this.#allocated;
    if (this.#skip.size === 0) {
      this.scan.scan(first, end - this.done, false);
    } else {
      for (let position = this.done; position < end; position++) {
        const slot = (this.#start + position) % this.#allocated;
        if (!this.#skip.has(slot)) this.scan.scan(slot, 1, false);
      }
    }
    const looked = end - this.done;
    this.done = end;
    return looked;
  }
}

/**
 * Stats calls counted across turns of the event loop, so that requests (ingest) are served while a
 * large store is counted: each turn counts at most `slice` ring slots in all (the oldest call
 * first, so one dashboard's answer is not slowed by the next one's), or builds one answer
 * (`finish`, the pass over the sessions), then yields with `setImmediate`. A call's answer is that
 * of the events held when it began (events written meanwhile are left out; events evicted or
 * discarded meanwhile still count: the ring tells the scan before it frees a slot ahead of it)
 * and of the session rows as they are when its answer is built; with no write in between it
 * equals `nativeStats`. Interned ids and session slots are not reused while a call runs (`hold`),
 * so its counts keep their keys.
 */
export class StatsScheduler {
  readonly #sources: StatsSources;
  readonly #slice: number;
  readonly #tasks: StatsTask[] = [];
  #scheduled = false;

  constructor(sources: StatsSources, slice: number) {
    this.#sources = sources;
    this.#slice = slice;
  }

  stats(query: StatsQuery): Promise<Stats> {
    return new Promise<Stats>((resolve, reject) => {
      const { ring, values, sessions } = this.#sources;
      const task = new StatsTask(new StatsScan(this.#sources, query), ring, resolve, reject);
      ring.watchers.add(task.watcher);
      task.holds = [values.hold(), sessions.hold()];
      this.#tasks.push(task);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#tasks.length === 0) return;
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  readonly #turn = (): void => {
    this.#scheduled = false;
    let budget = this.#slice;
    while (budget > 0) {
      const task = this.#tasks[0];
      if (task === undefined) break;
      if (task.done < task.total) {
        budget -= task.advance(budget);
        continue;
      }
      // Building an answer is a turn's work of its own.
      if (budget < this.#slice) break;
      this.#tasks.shift();
      this.#settle(task);
      break;
    }
    this.#schedule();
  };

  #settle(task: StatsTask): void {
    const { ring, values, sessions } = this.#sources;
    let stats: Stats | undefined;
    let failure: unknown;
    try {
      // Still held: the counted ids and slots are read back here.
      stats = task.scan.finish();
    } catch (error) {
      failure = error;
    } finally {
      ring.watchers.delete(task.watcher);
      values.unhold(task.holds[0]);
      sessions.unhold(task.holds[1]);
    }
    if (stats === undefined) task.reject(failure);
    else task.resolve(stats);
  }
}
