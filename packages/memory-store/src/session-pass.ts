import type { CountRow, Stats } from '@skopos/core';
import { referrerDomain, topCountRows } from '@skopos/core';
import { IdCounter } from './id-counter.ts';
import type { Interner } from './interner.ts';
import type { ScratchArrays } from './scratch-arrays.ts';
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

/** What the pass adds to a stats answer. */
export type SessionFigures = Pick<
  Stats,
  | 'visitors'
  | 'sessions'
  | 'bounceRate'
  | 'avgDuration'
  | 'activeNow'
  | 'referrers'
  | 'utmSources'
  | 'countries'
  | 'browsers'
  | 'os'
  | 'devices'
>;

export interface SessionPassInput {
  sessions: SessionTable;
  visitors: Interner;
  values: Interner;
  scratch: ScratchArrays;
  /** The session slots the call's events touched. */
  touched: readonly number[];
  /** Interned website id, -1 = every site; `noSite`: nothing can match. */
  website: number;
  noSite: boolean;
  activeSince: number;
  until: number;
}

/**
 * The pass over the sessions a stats call's events touched (their rows as they are now: a
 * yielding call runs it in the turn that builds its answer), then over every session for
 * "active now". Counts into scratch arrays, given back by `figures` or `release`.
 */
export class SessionPass {
  readonly #in: SessionPassInput;
  readonly #visitorSeen: Uint8Array;
  readonly #referrers: IdCounter;
  readonly #dimensions: IdCounter[];
  #counted = 0;
  #uniqueVisitors = 0;
  #bounced = 0;
  #withPageViews = 0;
  #durationSum = 0;
  #activeNow = 0;
  #released = false;
  /** Whether a touched session had no row (the caller's per-bucket counts take it back). */
  rowless = false;

  constructor(input: SessionPassInput) {
    this.#in = input;
    const { scratch, values } = input;
    this.#visitorSeen = scratch.uint8(input.visitors.capacity);
    this.#referrers = new IdCounter(scratch.int32(values.capacity));
    this.#dimensions = DIMENSIONS.map(() => new IdCounter(scratch.int32(values.capacity)));
  }

  /** Visit the touched sessions, then every session for "active now". */
  run(): void {
    this.#countTouched();
    this.#countActive();
  }

  #countTouched(): void {
    const { sessions, touched } = this.#in;
    const { text, numbers, visitor, flags } = sessions;
    const visitorSeen = this.#visitorSeen;
    const columns = DIMENSIONS.map((field) => text[field]);
    const dimensions = this.#dimensions;
    const duration = numbers.duration;
    for (let i = 0; i < touched.length; i++) {
      const s = touched[i] ?? 0;
      const flag = flags[s] ?? 0;
      if ((flag & HAS_ROW) === 0) {
        this.rowless = true;
        continue;
      }
      this.#counted++;
      const v = visitor[s] ?? 0;
      if (visitorSeen[v] === 0) {
        visitorSeen[v] = 1;
        this.#uniqueVisitors++;
      }
      if ((flag & BOUNCED) !== 0) this.#bounced++;
      if ((flag & WITH_PAGE_VIEWS) !== 0) this.#withPageViews++;
      this.#durationSum += duration[s] ?? 0;
      this.#referrers.add(text.referrer[s] ?? 0);
      for (let d = 0; d < dimensions.length; d++) dimensions[d]?.add(columns[d]?.[s] ?? 0);
    }
  }

  #countActive(): void {
    const { sessions, website, noSite, activeSince, until } = this.#in;
    if (noSite) return;
    const siteOf = sessions.text.website;
    const lastActivity = sessions.numbers.lastActivityAt;
    for (let s = 0; s < sessions.capacity; s++) {
      if (!sessions.hasRow(s) || (website >= 0 && siteOf[s] !== website)) continue;
      const at = lastActivity[s] ?? Number.NaN;
      if (at >= activeSince && at < until) this.#activeNow++;
    }
  }

  /** The figures, after `run`; gives the scratch arrays back. */
  figures(top: number): SessionFigures {
    const { values } = this.#in;
    const referrerHostCounts = new Map<string, number>();
    for (const [referrer, count] of this.#referrers.entries(values)) {
      const host = hostOf(referrer);
      referrerHostCounts.set(host, (referrerHostCounts.get(host) ?? 0) + count);
    }
    const ranked = (i: number): CountRow[] => topCountRows(this.#dimensions[i]?.entries(values) ?? [], top);
    const counted = this.#counted;
    const figures: SessionFigures = {
      visitors: this.#uniqueVisitors,
      sessions: counted,
      bounceRate: this.#withPageViews === 0 ? 0 : this.#bounced / this.#withPageViews,
      avgDuration: counted === 0 ? 0 : this.#durationSum / counted,
      activeNow: this.#activeNow,
      referrers: topCountRows(referrerHostCounts, top),
      utmSources: ranked(0),
      countries: ranked(1),
      browsers: ranked(2),
      os: ranked(3),
      devices: ranked(4),
    };
    this.release();
    return figures;
  }

  /** Give the scratch arrays back (also when the call fails). Idempotent. */
  release(): void {
    const { scratch } = this.#in;
    if (this.#released) return;
    this.#released = true;
    scratch.give(this.#visitorSeen);
    this.#referrers.release(scratch);
    for (const counter of this.#dimensions) counter.release(scratch);
  }
}
