type Numeric = Int32Array | Float64Array | Uint8Array;

/** Bytes of idle arrays kept for the next calls; more is left to the garbage collector. */
const MAX_KEPT_BYTES = 64 * 1024 * 1024;

/**
 * Zeroed typed arrays lent to stats calls and taken back. A call counts into arrays as long as the
 * interned values or session slots (hundreds of thousands at 500k events): allocating fresh ones
 * each time was tens of MB per call, and the collections that followed paused ingest requests
 * while dashboards polled. Arrays are handed out at least as long as asked (grown by a quarter, so
 * a growing store does not miss every time) and zeroed when given back.
 */
export class ScratchArrays {
  readonly #free = new Map<string, Numeric[]>();
  #keptBytes = 0;

  int32(length: number): Int32Array {
    return this.#take('i32', length, (n) => new Int32Array(n));
  }

  float64(length: number): Float64Array {
    return this.#take('f64', length, (n) => new Float64Array(n));
  }

  uint8(length: number): Uint8Array {
    return this.#take('u8', length, (n) => new Uint8Array(n));
  }

  /**
   * Take `array` back. `touched`: the only indexes that may be non-zero, when the caller knows
   * them (cheaper than zeroing the whole array); otherwise all of it is zeroed.
   */
  give(array: Numeric, touched?: readonly number[]): void {
    if (this.#keptBytes + array.byteLength > MAX_KEPT_BYTES) return;
    if (touched === undefined || touched.length * 8 > array.length) array.fill(0);
    else for (const index of touched) array[index] = 0;
    const kind = array instanceof Int32Array ? 'i32' : array instanceof Float64Array ? 'f64' : 'u8';
    let free = this.#free.get(kind);
    if (free === undefined) {
      free = [];
      this.#free.set(kind, free);
    }
    free.push(array);
    this.#keptBytes += array.byteLength;
  }

  #take<T extends Numeric>(kind: string, length: number, make: (length: number) => T): T {
    const free = this.#free.get(kind) as T[] | undefined;
    const index = free?.findIndex((array) => array.length >= length) ?? -1;
    if (free === undefined || index < 0) {
      // Interned values and session slots only grow: arrays shorter than this never fit again.
      this.#forgetShorter(kind, length);
      return make(length + (length >> 2) + 64);
    }
    const [array] = free.splice(index, 1) as [T];
    this.#keptBytes -= array.byteLength;
    return array;
  }

  #forgetShorter(kind: string, length: number): void {
    const free = this.#free.get(kind);
    if (free === undefined) return;
    const kept = free.filter((array) => array.length >= length);
    for (const array of free) if (array.length < length) this.#keptBytes -= array.byteLength;
    this.#free.set(kind, kept);
  }
}
