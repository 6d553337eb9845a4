import { type EventRecord, type HttpStatusClass, httpCallOf, navigationStepOf } from '@skopos/core';
import { Interner } from './interner.ts';

/** Key column value of an event without a key (not http/navigation, no URL, no step). */
const NO_KEY = 0xffff_ffff;

/** Status classes by code in `httpClass` (0 = not an http event, or a status in no class). */
export const HTTP_CLASSES: readonly (HttpStatusClass | undefined)[] = [
  undefined,
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'failed',
];
/** Codes from this one up count in an endpoint's `errors` (4xx, 5xx, failed). */
export const FIRST_ERROR_CLASS = 3;

/**
 * What stats read of vite-plugin-monitor's `http` and `navigation` payloads, decided once when an
 * event is written, as columns next to the ring's: reading the payload JSON of every call on every
 * stats call would cost more than the rest of the pass. `key` is the endpoint of a call
 * (`endpointKey`) or the `[from, to]` JSON of a navigation step, interned apart from the ring's
 * values so that high-cardinality URLs do not grow every stats counter over them.
 */
export class MonitorColumns {
  readonly keys = new Interner();
  key: Uint32Array;
  /** Index in `HTTP_CLASSES`. */
  httpClass: Uint8Array;
  /** ms, NaN when the call has no positive duration. */
  duration: Float64Array;

  constructor(size: number) {
    this.key = new Uint32Array(size);
    this.httpClass = new Uint8Array(size);
    this.duration = new Float64Array(size);
  }

  set(slot: number, event: EventRecord): void {
    let key = '';
    let statusClass = 0;
    let duration = Number.NaN;
    if (event.type === 'http') {
      const call = httpCallOf(event.payload);
      key = call.key;
      statusClass = Math.max(0, HTTP_CLASSES.indexOf(call.statusClass));
      duration = call.duration ?? Number.NaN;
    } else if (event.type === 'navigation') {
      const step = navigationStepOf(event.payload);
      if (step !== undefined) key = JSON.stringify([step.from, step.to]);
    }
    this.key[slot] = key === '' ? NO_KEY : this.keys.intern(key);
    this.httpClass[slot] = statusClass;
    this.duration[slot] = duration;
  }

  /** Whether `id` (a `key` column value) names a key. */
  static has(id: number): boolean {
    return id !== NO_KEY;
  }

  release(slot: number): void {
    const id = this.key[slot] ?? NO_KEY;
    if (id !== NO_KEY) this.keys.release(id);
    this.key[slot] = NO_KEY;
  }

  /** Same growth rule as the ring's columns: slots keep their numbers. */
  grow(size: number): void {
    const key = new Uint32Array(size);
    key.set(this.key);
    this.key = key;
    const httpClass = new Uint8Array(size);
    httpClass.set(this.httpClass);
    this.httpClass = httpClass;
    const duration = new Float64Array(size);
    duration.set(this.duration);
    this.duration = duration;
  }
}
