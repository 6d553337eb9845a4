import { ODD_ID } from './event-id-codec.ts';
import type { EventRing } from './event-ring.ts';

/** Keep the table at most this full (stale entries included), so probe runs stay short. */
const MAX_LOAD = 0.5;

/** One 32-bit word into a running hash (MurmurHash3's block step). */
function mixWord(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e_2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b87_3593);
  const x = h ^ k;
  return (Math.imul((x << 13) | (x >>> 19), 5) + 0xe654_6b64) | 0;
}

const TWO_32 = 0x1_0000_0000;

/**
 * A bucket keeps its seq modulo this, plus one (0 = empty), in 32 bits: half the table a float
 * would take, so more of it stays in cache (its look-up is the index's whole cost). The seq is
 * read back as the latest one below `nextSeq` with that remainder: exact for every seq of the
 * window, which is far shorter than the cycle. A bucket left from a cycle ago may read back as a
 * seq of the window; the id held in that seq's slot is compared all the same, so an answer is
 * never wrong, the bucket is only not reused.
 */
const SEQ_CYCLE = 0xffff_ffff;

/** What a bucket holds for `seq` (see `SEQ_CYCLE`); no modulo below one cycle, the usual case. */
function bucketOf(seq: number): number {
  return (seq < SEQ_CYCLE ? seq : seq % SEQ_CYCLE) + 1;
}

/**
 * The index cell hash of an id, seeded: events carry ids a client can influence (core derives them
 * from the client's `eventId`), and without a seed of its own a client could grind ids that pile up
 * in one probe run, which every later look-up would then scan. The seed goes in first and every bit
 * of the id after it, so ids that agree on anything computable without the seed still spread.
 */
export function hashId(id: string, high: number, low: number, seed: number): number {
  let h = seed | 0;
  if (high !== ODD_ID) {
    // Both halves are exact integers below 2^53: each is two words. `x | 0` is x modulo 2^32 (as
    // ToInt32 defines it) and `(x / 2^32) | 0` its high word: no floating-point `%` (slow on
    // doubles: this hash took 30 ns with it, 13 ns without, in a micro-benchmark here).
    h = mixWord(h, high | 0);
    h = mixWord(h, (high / TWO_32) | 0);
    h = mixWord(h, low | 0);
    h = mixWord(h, (low / TWO_32) | 0);
  } else {
    h ^= 0x811c_9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x0100_0193);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return h ^ (h >>> 16);
}

/**
 * Skips an event already stored when a batch is retried, among the last `window` events held.
 * Bounded on purpose: a full index of 500k ids would cost tens of MB, and retries concern the
 * batches written just before. An open-addressing table of insertion seqs (4 bytes a bucket, no
 * strings): the ids themselves are compared in the ring's columns, so an entry whose event left
 * the window or the ring simply stops matching and its bucket is reused.
 */
export class RecentIds {
  /**
   * This index's `hashId` seed, random unless a test gives one: drawn on first use, not when the
   * store is made (serverless isolates refuse random values outside a request).
   */
  get seed(): number {
    this.#seed ??= crypto.getRandomValues(new Uint32Array(1))[0] as number;
    return this.#seed;
  }
  #seed: number | undefined;
  readonly #ring: EventRing;
  readonly #window: number;
  /** Insertion seq modulo `SEQ_CYCLE`, plus one, per bucket; 0 = empty. No bucket while dormant. */
  #table: Uint32Array;
  #mask: number;
  #used = 0;
  /** Bucket `seen` picked for the id it did not find, filled by `remember`; -1 = none. */
  #pending = -1;
  /** Not consulted nor filled until `wake` (see `MemoryStoreOptions.writerDedupes`). */
  #dormant: boolean;

  constructor(window: number, ring: EventRing, seed?: number, dormant = false) {
    this.#seed = seed;
    this.#dormant = dormant;
    this.#ring = ring;
    this.#window = Math.min(window, ring.maxSize);
    // A dormant index takes its table (1 MiB at the default window) only when it wakes.
    const size = dormant ? 0 : this.#tableSize();
    this.#table = new Uint32Array(size);
    this.#mask = size - 1;
  }

  #tableSize(): number {
    return this.#window === 0 ? 0 : 2 ** Math.ceil(Math.log2((this.#window / MAX_LOAD) * 2));
  }

  /**
   * Whether an event with this id is among the last `window` held; if not, the caller appends the
   * event and hands its seq to `remember` (known only then: making room may rotate seqs).
   */
  seen(id: string, high: number, low: number): boolean {
    if (this.#window === 0 || this.#dormant) return false;
    if (this.#used >= this.#table.length * MAX_LOAD) this.#rebuild();
    const table = this.#table;
    const mask = this.#mask;
    let reusable = -1;
    for (let i = hashId(id, high, low, this.seed) & mask; ; i = (i + 1) & mask) {
      const stored = table[i] ?? 0;
      if (stored === 0) {
        if (reusable < 0) {
          reusable = i;
          this.#used++;
        }
        this.#pending = reusable;
        return false;
      }
      const seq = this.#seqOf(stored);
      if (!this.#inWindow(seq)) {
        if (reusable < 0) reusable = i;
      } else if (this.#matches(seq, id, high, low)) {
        return true;
      }
    }
  }

  /**
   * From now on, check every id: a dormant index first takes in the ring's last `window` events
   * (those of the write that just failed included, so that its retry skips them).
   */
  wake(): void {
    if (!this.#dormant) return;
    this.#dormant = false;
    if (this.#window === 0) return;
    const size = this.#tableSize();
    this.#table = new Uint32Array(size);
    this.#mask = size - 1;
    this.#rebuild();
  }

  /** Record the seq of the event `seen` did not find. */
  remember(seq: number): void {
    if (this.#pending < 0) return;
    this.#table[this.#pending] = bucketOf(seq);
    this.#pending = -1;
  }

  /** The seq a bucket holds: the latest below `nextSeq` with the remainder it keeps. */
  #seqOf(stored: number): number {
    const newest = this.#ring.nextSeq - 1;
    // Below one cycle of seqs (4 billion events since the start, seqs only grow) every bucket holds
    // a seq already taken, plus one: no floating-point modulo per bucket probed.
    if (newest < SEQ_CYCLE) return stored - 1;
    let back = (newest - (stored - 1)) % SEQ_CYCLE;
    if (back < 0) back += SEQ_CYCLE;
    return newest - back;
  }

  #inWindow(seq: number): boolean {
    const ring = this.#ring;
    return seq >= ring.firstSeq && seq >= ring.nextSeq - this.#window && seq < ring.nextSeq;
  }

  #matches(seq: number, id: string, high: number, low: number): boolean {
    const ring = this.#ring;
    const slot = seq % ring.allocated;
    if (ring.idHigh[slot] !== high) return false;
    return high === ODD_ID ? ring.oddIds.get(slot) === id : ring.idLow[slot] === low;
  }

  /** Drop the stale entries: re-insert the seqs still in the window. */
  #rebuild(): void {
    const ring = this.#ring;
    const table = this.#table;
    const mask = this.#mask;
    table.fill(0);
    this.#used = 0;
    for (let seq = Math.max(ring.firstSeq, ring.nextSeq - this.#window); seq < ring.nextSeq; seq++) {
      const slot = seq % ring.allocated;
      const high = ring.idHigh[slot] ?? ODD_ID;
      const odd = high === ODD_ID ? (ring.oddIds.get(slot) ?? '') : '';
      const hash = hashId(odd, high, ring.idLow[slot] ?? 0, this.seed);
      let i = hash & mask;
      while ((table[i] ?? 0) !== 0) i = (i + 1) & mask;
      table[i] = bucketOf(seq);
      this.#used++;
    }
  }
}
