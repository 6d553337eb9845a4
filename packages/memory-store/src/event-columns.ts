import { MonitorColumns } from './monitor-columns.ts';
import { SiteQueues } from './site-queues.ts';

/** Session column value of a slot whose event was discarded (a tombstone, skipped by reads). */
export const DEAD = 0xffff_ffff;
/** String column value of an event without that (optional) field. */
export const ABSENT = 0xffff_ffff;

/**
 * What each slot of the ring holds: one typed array per field, strings as interned ids, ~82 bytes
 * an event. Kept apart from `EventRing`, which decides which slot an event takes and which one
 * leaves; stats and queries read these arrays directly, so they are plain public fields.
 */
export class EventColumns {
  allocated: number;
  timestamp: Float64Array;
  idHigh: Float64Array;
  idLow: Float64Array;
  website: Uint32Array;
  session: Uint32Array;
  type: Uint32Array;
  path: Uint32Array;
  eventName: Uint32Array;
  /** Receive time, NaN when the event has none (rows written by Skopos 0.1). */
  receivedAt: Float64Array;
  /** Level, clockAdjusted, same-page navigation, whether it has eventData or a detail (`event-flags.ts`). */
  flags: Uint8Array;
  /** Ids in `values`, ABSENT when the event has none. */
  appId: Uint32Array;
  /** Ids in `clients`, ABSENT when the event has none. */
  clientSessionId: Uint32Array;
  userId: Uint32Array;
  /** Each site's slots, oldest first (they grow with the columns). */
  readonly sites: SiteQueues;
  /** Endpoint or navigation step, status class and duration of monitor events (see `MonitorColumns`). */
  readonly monitor: MonitorColumns;

  constructor(allocated: number) {
    this.allocated = allocated;
    this.timestamp = new Float64Array(allocated);
    this.idHigh = new Float64Array(allocated);
    this.idLow = new Float64Array(allocated);
    this.website = new Uint32Array(allocated);
    this.session = new Uint32Array(allocated);
    this.type = new Uint32Array(allocated);
    this.path = new Uint32Array(allocated);
    this.eventName = new Uint32Array(allocated);
    this.receivedAt = new Float64Array(allocated);
    this.flags = new Uint8Array(allocated);
    this.appId = new Uint32Array(allocated);
    this.clientSessionId = new Uint32Array(allocated);
    this.userId = new Uint32Array(allocated);
    this.sites = new SiteQueues(allocated);
    this.monitor = new MonitorColumns(allocated);
  }

  /** Every column to `size` slots, slot numbers kept (the ring grows only before it first wraps). */
  protected growColumns(size: number): void {
    const grow = <T extends Float64Array | Uint32Array | Uint8Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.timestamp = grow(this.timestamp, (n) => new Float64Array(n));
    this.idHigh = grow(this.idHigh, (n) => new Float64Array(n));
    this.idLow = grow(this.idLow, (n) => new Float64Array(n));
    this.website = grow(this.website, (n) => new Uint32Array(n));
    this.session = grow(this.session, (n) => new Uint32Array(n));
    this.type = grow(this.type, (n) => new Uint32Array(n));
    this.path = grow(this.path, (n) => new Uint32Array(n));
    this.eventName = grow(this.eventName, (n) => new Uint32Array(n));
    this.receivedAt = grow(this.receivedAt, (n) => new Float64Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.appId = grow(this.appId, (n) => new Uint32Array(n));
    this.clientSessionId = grow(this.clientSessionId, (n) => new Uint32Array(n));
    this.userId = grow(this.userId, (n) => new Uint32Array(n));
    this.sites.grow(size);
    this.monitor.grow(size);
    this.allocated = size;
  }
}
