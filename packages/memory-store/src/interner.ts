import { flat } from './flat-string.ts';
import { HoldLog } from './hold-log.ts';

/**
 * Strings stored once and referred to by small integer ids, with reference counts so that an id
 * (and its string) is freed and reused once nothing holds it: memory follows what is stored, not
 * everything ever seen. Ids are dense, so aggregations can count into typed arrays indexed by id.
 */
export class Interner {
  readonly #ids = new Map<string, number>();
  readonly #strings: (string | undefined)[] = [];
  #refs = new Uint32Array(256);
  readonly #free: number[] = [];
  /** Ids left without references while stats calls are in flight (see `hold`). */
  readonly #holds = new HoldLog();

  /** One more than the largest id handed out: the length a per-id counter array needs. */
  get capacity(): number {
    return this.#strings.length;
  }

  /** Distinct strings held. */
  get size(): number {
    return this.#ids.size;
  }

  /** The id of `value`, adding it if needed; the caller now holds one reference. */
  intern(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#free.pop() ?? this.#strings.length;
      this.#ids.set(value, id);
      this.#strings[id] = flat(value);
      if (id >= this.#refs.length) {
        const grown = new Uint32Array(this.#refs.length * 2);
        grown.set(this.#refs);
        this.#refs = grown;
      }
    }
    this.#refs[id] = (this.#refs[id] ?? 0) + 1;
    return id;
  }

  /** Drop one reference; the string is forgotten when none is left. */
  release(id: number): void {
    const refs = (this.#refs[id] ?? 0) - 1;
    if (refs > 0) {
      this.#refs[id] = refs;
      return;
    }
    this.#refs[id] = 0;
    if (this.#holds.holding) {
      this.#holds.defer(id);
      return;
    }
    this.#forget(id);
  }

  /**
   * Keep every id valid until `unhold(token)`: an id left without references keeps its string (and
   * is found again by `intern`) instead of being reused for another, so counts by id made across
   * turns of the event loop still name the right strings. Holds may overlap.
   */
  hold(): number {
    return this.#holds.hold();
  }

  unhold(token: number): void {
    this.#holds.unhold(token, (id) => {
      if ((this.#refs[id] ?? 0) === 0) this.#forget(id);
    });
  }

  #forget(id: number): void {
    const value = this.#strings[id];
    if (value === undefined) return;
    this.#ids.delete(value);
    this.#strings[id] = undefined;
    this.#free.push(id);
  }

  /** The id of `value` if held, else -1 (no reference taken: for filters). */
  find(value: string): number {
    return this.#ids.get(value) ?? -1;
  }

  /** The string of a held id. */
  get(id: number): string {
    return this.#strings[id] ?? '';
  }
}
