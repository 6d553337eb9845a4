import type { ScratchArrays } from './scratch-arrays.ts';
/**
 * Distinct sessions per series bucket without a set per bucket. A session whose events come in
 * non-decreasing bucket order is counted once per bucket change, which is exact. A session that goes
 * back to an earlier bucket (late events) may revisit a bucket, so it is flagged, and `settle`
 * takes back the repeated (session, bucket) counts of the flagged sessions, and those of sessions
 * that turn out not to count, from the log of every count made (one entry per bucket change, so a
 * second pass over the events is never needed).
 */
export class SessionBuckets {
  readonly counts: Float64Array;
  /** Last bucket + 1 per session slot (0 = none yet). */
  readonly #last: Int32Array;
  readonly #unordered: Uint8Array;
  #anyUnordered = false;
  /** (session, bucket) of each count made, in pairs. */
  #log = new Int32Array(1024);
  #logged = 0;

  constructor(buckets: number, sessionCapacity: number, scratch: ScratchArrays) {
    this.counts = new Float64Array(buckets);
    this.#last = scratch.int32(sessionCapacity);
    this.#unordered = scratch.uint8(sessionCapacity);
  }

  /** Give the per-session arrays back; `touched`: every session added. */
  release(scratch: ScratchArrays, touched: readonly number[]): void {
    scratch.give(this.#last, touched);
    scratch.give(this.#unordered, touched);
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
    if (this.#logged + 2 > this.#log.length) {
      const grown = new Int32Array(this.#log.length * 2);
      grown.set(this.#log);
      this.#log = grown;
    }
    this.#log[this.#logged++] = session;
    this.#log[this.#logged++] = bucket;
  }

  /**
   * Make `counts` exact: only sessions `counted` (those with a row, as the caller decides now)
   * count, each once in each bucket it was seen in. `rowless`: whether some session added is not
   * counted (else, and with every session in bucket order, there is nothing to take back).
   */
  settle(counted: (session: number) => boolean, rowless: boolean): void {
    if (!this.#anyUnordered && !rowless) return;
    const pairs = new Set<number>();
    const buckets = this.counts.length;
    const log = this.#log;
    for (let i = 0; i < this.#logged; i += 2) {
      const session = log[i] ?? 0;
      const bucket = log[i + 1] ?? 0;
      if (!counted(session)) {
        this.counts[bucket] = (this.counts[bucket] ?? 0) - 1;
        continue;
      }
      if (this.#unordered[session] === 0) continue;
      const key = session * buckets + bucket;
      if (pairs.has(key)) this.counts[bucket] = (this.counts[bucket] ?? 0) - 1;
      else pairs.add(key);
    }
    this.#anyUnordered = false;
  }
}
