/**
 * Distinct sessions per series bucket without a set per bucket. A session whose events come in
 * non-decreasing bucket order is counted once per bucket change, which is exact. A session that goes
 * back to an earlier bucket (late events) may revisit a bucket, so it is flagged and `replay`
 * recounts only the flagged sessions with an exact set of (session, bucket) pairs.
 */
export class SessionBuckets {
  readonly counts: Float64Array;
  /** Last bucket + 1 per session slot (0 = none yet). */
  readonly #last: Int32Array;
  readonly #unordered: Uint8Array;
  #anyUnordered = false;

  constructor(buckets: number, sessionCapacity: number) {
    this.counts = new Float64Array(buckets);
    this.#last = new Int32Array(sessionCapacity);
    this.#unordered = new Uint8Array(sessionCapacity);
  }

  add(session: number, bucket: number): void {
    const previous = this.#last[session] ?? 0;
    if (previous === bucket + 1) return;
    if (previous > bucket + 1) {
      this.#unordered[session] = 1;
      this.#anyUnordered = true;
    }
    this.#last[session] = bucket + 1;
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
  }

  /** Whether some session went back in time and `replay` must fix its counts. */
  get needsReplay(): boolean {
    return this.#anyUnordered;
  }

  /**
   * Feed the same (session, bucket) sequence again through `scan`: the naive counts of flagged
   * sessions are taken back and replaced by their distinct (session, bucket) pairs.
   */
  replay(scan: (visit: (session: number, bucket: number) => void) => void): void {
    const last = new Int32Array(this.#last.length);
    const pairs = new Set<number>();
    const buckets = this.counts.length;
    scan((session, bucket) => {
      if (this.#unordered[session] === 0 || last[session] === bucket + 1) return;
      last[session] = bucket + 1;
      const key = session * buckets + bucket;
      if (pairs.has(key)) this.counts[bucket] = (this.counts[bucket] ?? 0) - 1;
      else pairs.add(key);
    });
  }
}
