import type { DropReason } from './types.ts';

/** Drops are counted in buckets this wide: a range's edges are rounded out to them. */
export const DROP_BUCKET_MS = 5 * 60_000;
/** Buckets older than this are forgotten (the dashboard's longest preset range is 30 days). */
export const DROP_RETAIN_MS = 31 * 24 * 3_600_000;

type Counts = Partial<Record<DropReason, number>>;

/** What `droppedIn` answers: the counts, and from when on they are known. */
export interface DropWindow {
  /** Events dropped in the range, by reason (reasons with none are absent). */
  counts: Counts;
  /**
   * Epoch ms from which the counts are complete: the range's start, or later when this process
   * started (or forgot older buckets) after it. Drops are never stored, so they do not survive a restart.
   */
  since: number;
}

export interface DropRange {
  /** A website record id; absent = every site. */
  website?: string;
  since: number;
  until: number;
}

/**
 * Drops per site over time, for the dashboard's "dropped" strip of a range. Sparse: a bucket exists
 * only once something was dropped in it, so a site without drops costs nothing, and a site dropping
 * all the time holds at most `retainMs / bucketMs` buckets (8 928 by default). Keyed by known
 * websites only (the drops made once the site is found), so the number of sites is bounded by the
 * site cache.
 */
export class DropHistory {
  readonly #bySite = new Map<string, Map<number, Counts>>();
  /**
   * Since when drops are counted: given, or else the time of the first drop or question, whichever
   * comes first (a pipeline made at a Cloudflare Worker's top level cannot read the clock there: see
   * `startTime`), so a range is never said to be covered from before the counting began.
   */
  #startedAt: number | undefined;

  constructor(
    startedAt?: number,
    readonly bucketMs = DROP_BUCKET_MS,
    readonly retainMs = DROP_RETAIN_MS,
  ) {
    this.#startedAt = startedAt;
  }

  add(website: string, reason: DropReason, now: number): void {
    this.#startedAt ??= now;
    let buckets = this.#bySite.get(website);
    if (buckets === undefined) {
      buckets = new Map();
      this.#bySite.set(website, buckets);
    }
    const start = now - (now % this.bucketMs);
    let counts = buckets.get(start);
    if (counts === undefined) {
      counts = {};
      buckets.set(start, counts);
      this.#forgetOld(buckets, now);
    }
    counts[reason] = (counts[reason] ?? 0) + 1;
  }

  /** Drops whose bucket overlaps `[since, until)`, for one site or all. */
  droppedIn(range: DropRange, now: number): DropWindow {
    this.#startedAt ??= now;
    const counts: Counts = {};
    const sites =
      range.website === undefined ? [...this.#bySite.values()] : [this.#bySite.get(range.website)];
    for (const buckets of sites) {
      if (buckets === undefined) continue;
      for (const [start, bucket] of buckets) {
        if (start + this.bucketMs <= range.since || start >= range.until) continue;
        for (const reason in bucket) {
          const key = reason as DropReason;
          counts[key] = (counts[key] ?? 0) + (bucket[key] ?? 0);
        }
      }
    }
    return { counts, since: Math.max(range.since, this.#startedAt, now - this.retainMs) };
  }

  /** Buckets are added in time order (the server's clock), so the oldest are first in the map. */
  #forgetOld(buckets: Map<number, Counts>, now: number): void {
    for (const start of buckets.keys()) {
      if (start + this.bucketMs > now - this.retainMs) return;
      buckets.delete(start);
    }
  }
}
