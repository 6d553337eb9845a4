/**
 * One site's window of recent event identities: a ring in insertion order (the oldest is forgotten
 * first once the site's cap is reached) with an open-addressing index beside it. Keys are two
 * 32-bit hashes of the stored event id, so an entry is a few typed-array cells and no string is
 * kept per identity — a `Map` of 100 000 id strings cost a quarter of the pipeline's throughput in inserts,
 * look-ups and old-generation GC.
 */

/** The last `hashId` result: read at once (no tuple per event on the hot path). */
export const key = { hi: 0, lo: 0 };

/**
 * A random 32-bit seed for `hashId`. Each window draws its own, so that nobody outside the process
 * can aim ids at one index cell. Stored ids derive from the client's `eventId` and the site's public
 * id; without the seed a client could grind ids into one run of neighbouring cells (filling N cells
 * takes N ids at table-size / N tries each: 2^18 hashes in all for a 100 000-id window), and every
 * look-up of the site landing in the run would scan it.
 */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/**
 * A stored id as two 32-bit numbers, written to `key` (two independent multiplicative hashes, the
 * second seeded and finished with an avalanche since its low bits pick the index cell). Two ids of
 * one site's window share both numbers with odds of about 2^-64 per pair (2^-32 for ids a client
 * aimed at each other: `hi` is unseeded; that only affects the client's own events).
 */
export function hashId(id: string, seed: number): void {
  let hi = 0x811c9dc5;
  let lo = 0x9747b28c ^ seed;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    hi = Math.imul(hi ^ code, 0x01000193);
    lo = Math.imul(lo ^ code, 0x5bd1e995);
    lo ^= lo >>> 15;
  }
  lo = Math.imul(lo ^ (lo >>> 16), 0x85ebca6b);
  lo = Math.imul(lo ^ (lo >>> 13), 0xc2b2ae35);
  key.hi = hi >>> 0;
  key.lo = (lo ^ (lo >>> 16)) >>> 0;
}

const EMPTY = 0;
const INITIAL_CAPACITY = 256;
/**
 * The index is rebuilt from the live entries once this share of its cells is taken, forgotten
 * entries' cells included: probe runs stay short (a miss scans ~8 cells at ¾, within one or two
 * cache lines), and since the index has at least twice as many cells as the ring has slots, at
 * least half a ring of adds passes between two rebuilds (each clears the index and passes over the
 * ring once: a few cell writes per add, amortized).
 */
const MAX_FILL = 0.75;

/** Bits needed for `n` (n ≥ 1). */
function bitsFor(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n + 1)));
}

export class SiteWindow {
  /** The seed to pass `hashId` for this window's keys (see `randomSeed`). */
  readonly seed: number;
  readonly #max: number;
  #capacity = 0;
  /** Next ring slot to write; once it reached `#max` the ring wraps and evicts. */
  #write = 0;
  #wrapped = false;
  #hi = new Uint32Array(0);
  #lo = new Uint32Array(0);
  /** When each slot was written, in seconds since `#epoch` (for the horizon warning). */
  #at = new Uint32Array(0);
  /** The session each identity belongs to; `undefined` = free slot, '' = being recorded. */
  #sessions: (string | undefined)[] = [];
  /**
   * Index: per cell, `slot + 1` in the low bits (`#slotMask`) and the top bits of the key's `hi`
   * above them (`#tagMask`), 0 = empty; a power of two ≥ twice the capacity. A look-up compares the
   * slot's key only when the tag matches, so a miss reads the index alone (the key columns cost a
   * cache miss per compare). Forgetting an entry (a ring wrap, a failed recording) leaves its cell:
   * a look-up that lands on it finds another key, or a free slot, in the slot and moves on, and
   * the next rebuild drops it. The backward-shift delete this replaces read the key of every entry
   * it moved, a cache miss each.
   */
  #table = new Uint32Array(0);
  #mask = 0;
  /** Cells taken, forgotten entries' included; at `#maxTaken` the index is rebuilt. */
  #taken = 0;
  #maxTaken = 0;
  readonly #slotMask: number;
  readonly #tagMask: number;
  readonly #epoch: number;

  constructor(maxEntries: number, now: number, seed: number = randomSeed()) {
    this.seed = seed;
    this.#max = maxEntries;
    this.#epoch = now;
    const slotBits = bitsFor(maxEntries);
    this.#slotMask = slotBits >= 32 ? 0xffff_ffff : 2 ** slotBits - 1;
    this.#tagMask = ~this.#slotMask >>> 0;
    this.#grow();
  }

  /** Writes `id`'s key for this window to `key` (with its seed): what `find` and `add` take. */
  keyOf(id: string): void {
    hashId(id, this.seed);
  }

  /** The slot holding this key, or -1. */
  find(hi: number, lo: number): number {
    const tag = (hi & this.#tagMask) >>> 0;
    for (let cell = lo & this.#mask; ; cell = (cell + 1) & this.#mask) {
      const entry = this.#table[cell] as number;
      if (entry === EMPTY) return -1;
      if ((entry & this.#tagMask) >>> 0 !== tag) continue;
      const slot = ((entry & this.#slotMask) >>> 0) - 1;
      if (this.#hi[slot] === hi && this.#lo[slot] === lo && this.#sessions[slot] !== undefined) return slot;
    }
  }

  session(slot: number): string | undefined {
    return this.#sessions[slot];
  }

  /**
   * Age in ms of the entry the last `add` forgot when it was younger than `horizonMs`, else -1: the
   * window is then shorter than the time clients re-send in.
   */
  forgotYoung = -1;

  /** Adds a key the caller just found absent; answers its slot (see `forgotYoung`). */
  add(hi: number, lo: number, session: string, now: number, horizonMs: number): number {
    if (this.#write === this.#capacity) {
      if (this.#capacity < this.#max) this.#grow();
      else {
        this.#write = 0;
        this.#wrapped = true;
      }
    }
    const slot = this.#write++;
    this.forgotYoung = -1;
    if (this.#wrapped && this.#sessions[slot] !== undefined) {
      const age = now - (this.#epoch + (this.#at[slot] as number) * 1000);
      if (age < horizonMs) this.forgotYoung = age;
    }
    this.#hi[slot] = hi;
    this.#lo[slot] = lo;
    this.#at[slot] = Math.max(0, Math.floor((now - this.#epoch) / 1000));
    this.#sessions[slot] = session;
    // The rebuild indexes every live slot, this one included.
    if (this.#taken >= this.#maxTaken) this.#rebuild();
    else this.#index(slot);
    return slot;
  }

  /** Sets the session of a slot that still holds this key (a ring wrap may have reused it). */
  settle(slot: number, hi: number, lo: number, session: string | undefined): void {
    if (this.#hi[slot] !== hi || this.#lo[slot] !== lo || this.#sessions[slot] === undefined) return;
    if (session === undefined) this.remove(slot);
    else this.#sessions[slot] = session;
  }

  /** Frees a slot: `find` no longer answers it (its index cell goes at the next rebuild). */
  remove(slot: number): void {
    this.#sessions[slot] = undefined;
  }

  #index(slot: number): void {
    const mask = this.#mask;
    let cell = (this.#lo[slot] as number) & mask;
    while (this.#table[cell] !== EMPTY) cell = (cell + 1) & mask;
    this.#table[cell] = (((this.#hi[slot] as number) & this.#tagMask) | (slot + 1)) >>> 0;
    this.#taken++;
  }

  /** Indexes the live slots afresh, dropping the cells of forgotten entries. */
  #rebuild(): void {
    this.#table.fill(EMPTY);
    this.#taken = 0;
    const used = this.#wrapped ? this.#capacity : this.#write;
    for (let slot = 0; slot < used; slot++) {
      if (this.#sessions[slot] !== undefined) this.#index(slot);
    }
  }

  /** Doubles the ring (up to the cap) and rebuilds the index; only before the first wrap. */
  #grow(): void {
    const capacity = Math.min(this.#max, Math.max(INITIAL_CAPACITY, this.#capacity * 2));
    const copy = (from: Uint32Array): Uint32Array<ArrayBuffer> => {
      const to = new Uint32Array(capacity);
      to.set(from);
      return to;
    };
    this.#hi = copy(this.#hi);
    this.#lo = copy(this.#lo);
    this.#at = copy(this.#at);
    this.#capacity = capacity;
    let size = 1;
    while (size < capacity * 2) size *= 2;
    this.#table = new Uint32Array(size);
    this.#mask = size - 1;
    this.#maxTaken = Math.floor(size * MAX_FILL);
    this.#rebuild();
  }
}
