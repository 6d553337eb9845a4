import type { CountRow, Stats } from '@skopos/core';
import { referrerDomain, topCountRows } from '@skopos/core';
import { IdCounter } from './id-counter.ts';
import type { Interner } from './interner.ts';
import type { ScratchArrays } from './scratch-arrays.ts';
import { BOUNCED, type RowWatcher, WITH_PAGE_VIEWS } from './session-columns.ts';
import type { SessionTable } from './session-table.ts';

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
  /**
   * The query's website, undefined = every site. Looked up when the pass begins and, while it is
   * not stored, again for each row that arrives: "active now" is about the rows when the answer is
   * built, and a site's first rows may be written after the call began.
   */
  site: string | undefined;
  activeSince: number;
  until: number;
}

/**
 * The pass over the sessions a stats call's events touched, then over every session for "active
 * now", in steps of a bounded number of sessions: a yielding call takes one step per turn of the
 * event loop, so 100k sessions never hold ingest requests back for the whole pass. The answer is
 * that of the rows as they are when it is built, as if counted at once: while the pass runs it
 * watches the table, and a row that changes or goes after it was counted is taken back (and
 * counted again as it now is). Counts into scratch arrays, given back by `figures` or `release`.
 */
export class SessionPass implements RowWatcher {
  readonly #in: SessionPassInput;
  /** Per visitor id, its counted sessions (a visitor is unique while it has one). */
  readonly #visitorSessions: Int32Array;
  /** Per session slot: 1 once the pass counted it (or found it without a row). */
  readonly #visited: Uint8Array;
  readonly #referrers: IdCounter;
  readonly #dimensions: IdCounter[];
  /** Next index into `touched`, then next slot of the "active now" pass. */
  #at = 0;
  #activeAt: number;
  #counted = 0;
  #uniqueVisitors = 0;
  #bounced = 0;
  #withPageViews = 0;
  #durationSum = 0;
  #activeNow = 0;
  /** Interned id of `site` (-1 = every site, or `site` not stored yet). */
  #website: number;
  #released = false;
  /** Whether a touched session had no row, or a row changed meanwhile (the per-bucket counts check them again). */
  rowless = false;

  constructor(input: SessionPassInput) {
    this.#in = input;
    const { scratch, values, sessions } = input;
    this.#visitorSessions = scratch.int32(input.visitors.capacity);
    this.#visited = scratch.uint8(sessions.capacity);
    this.#referrers = new IdCounter(scratch.int32(values.capacity));
    this.#dimensions = DIMENSIONS.map(() => new IdCounter(scratch.int32(values.capacity)));
    this.#website = input.site === undefined ? -1 : values.find(input.site);
    // A site with no interned id has no rows yet: the ones that arrive are counted as they come.
    this.#activeAt = this.#siteUnknown() ? Number.POSITIVE_INFINITY : 0;
    sessions.watchers.add(this);
  }

  get done(): boolean {
    return this.#at >= this.#in.touched.length && this.#activeAt >= this.#in.sessions.capacity;
  }

  /** Visit up to `budget` sessions; answers how many were visited (0 once done). */
  step(budget: number): number {
    const { touched, sessions } = this.#in;
    if (this.#at < touched.length) {
      const end = Math.min(touched.length, this.#at + budget);
      const visited = this.#visited;
      const columns = this.#columns();
      for (let i = this.#at; i < end; i++) {
        const s = touched[i] ?? 0;
        visited[s] = 1;
        if (!sessions.hasRow(s)) this.rowless = true;
        else this.#count(s, 1, columns);
      }
      const count = end - this.#at;
      this.#at = end;
      return count;
    }
    const end = Math.min(sessions.capacity, this.#activeAt + budget);
    if (end <= this.#activeAt) return 0;
    for (let s = this.#activeAt; s < end; s++) this.#countActive(s, 1);
    const count = end - this.#activeAt;
    this.#activeAt = end;
    return count;
  }

  /** Run every step now (the blocking call). */
  run(): void {
    while (this.step(Number.POSITIVE_INFINITY) > 0);
  }

  leaving(slot: number): void {
    this.rowless = true;
    if (this.#visited[slot] === 1) this.#count(slot, -1, this.#columns());
    if (slot < this.#activeAt) this.#countActive(slot, -1);
  }

  arrived(slot: number): void {
    if (this.#visited[slot] === 1) this.#count(slot, 1, this.#columns());
    if (slot < this.#activeAt) this.#countActive(slot, 1);
  }

  /** The ranked columns, read afresh: the table replaces its arrays when it grows. */
  #columns(): Uint32Array[] {
    const { text } = this.#in.sessions;
    return DIMENSIONS.map((field) => text[field]);
  }

  /** Add (`sign` 1) or take back (-1) the row of `s`, which has one. */
  #count(s: number, sign: 1 | -1, columns: readonly Uint32Array[]): void {
    const { text, numbers, visitor, flags } = this.#in.sessions;
    const flag = flags[s] ?? 0;
    this.#counted += sign;
    const v = visitor[s] ?? 0;
    // A visitor interned after the pass began is past the array: counted sessions, not unique (rare).
    if (v < this.#visitorSessions.length) {
      const before = this.#visitorSessions[v] ?? 0;
      this.#visitorSessions[v] = before + sign;
      if (before === 0) this.#uniqueVisitors++;
      else if (before === 1 && sign < 0) this.#uniqueVisitors--;
    }
    if ((flag & BOUNCED) !== 0) this.#bounced += sign;
    if ((flag & WITH_PAGE_VIEWS) !== 0) this.#withPageViews += sign;
    this.#durationSum += sign * (numbers.duration[s] ?? 0);
    const referrer = text.referrer[s] ?? 0;
    if (sign > 0) this.#referrers.add(referrer);
    else this.#referrers.subtract(referrer);
    for (let d = 0; d < columns.length; d++) {
      const id = columns[d]?.[s] ?? 0;
      const counter = this.#dimensions[d] as IdCounter;
      if (sign > 0) counter.add(id);
      else counter.subtract(id);
    }
  }

  #siteUnknown(): boolean {
    const { site, values } = this.#in;
    if (site === undefined || this.#website >= 0) return false;
    this.#website = values.find(site);
    return this.#website < 0;
  }

  #countActive(s: number, sign: 1 | -1): void {
    const { sessions, activeSince, until } = this.#in;
    if (!sessions.hasRow(s) || this.#siteUnknown()) return;
    if (this.#website >= 0 && sessions.text.website[s] !== this.#website) return;
    const at = sessions.numbers.lastActivityAt[s] ?? Number.NaN;
    if (at >= activeSince && at < until) this.#activeNow += sign;
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
    this.#in.sessions.watchers.delete(this);
    scratch.give(this.#visitorSessions);
    scratch.give(this.#visited, this.#in.touched);
    this.#referrers.release(scratch);
    for (const counter of this.#dimensions) counter.release(scratch);
  }
}
