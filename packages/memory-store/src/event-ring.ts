import type { EventRecord } from '@skopos/core';
import { EventDetails } from './event-detail.ts';
import { clockAdjustedOf, encodeFlags, knownLevel, levelOf, ODD_LEVEL } from './event-flags.ts';
import { ODD_ID, unpackId } from './event-id-codec.ts';
import { flat } from './flat-string.ts';
import type { Interner } from './interner.ts';
import type { SessionTable } from './session-table.ts';

/** Session column value of a slot whose event was discarded (a tombstone, skipped by reads). */
export const DEAD = 0xffff_ffff;
/** String column value of an event without that (optional) field. */
export const ABSENT = 0xffff_ffff;
const INITIAL_SLOTS = 1024;

/**
 * Events as a columnar ring buffer: one typed array per field, strings as interned ids, so an event
 * costs ~65 bytes plus its `eventData` and detail JSON when it has some. The tab and user ids of
 * vite-plugin-monitor events have their own interner (`clients`): many distinct values that
 * would otherwise size every stats counter over `values`. Insertion `seq` numbers are absolute;
 * `slot = seq % allocated`. Arrays grow by doubling up to `maxSize` and only before the first wrap,
 * so slots stay in seq order. When full, the oldest slot is evicted first (FIFO, seed 002).
 */
export class EventRing {
  readonly maxSize: number;
  allocated: number;
  /** Seq of the oldest slot held; `nextSeq - firstSeq` slots are occupied (tombstones included). */
  firstSeq = 0;
  nextSeq = 0;
  /** Live (non-discarded) events held. */
  live = 0;
  /** Live events pushed out by capacity. */
  evicted = 0;
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
  /** Level and clockAdjusted (see `event-flags.ts`). */
  flags: Uint8Array;
  /** Ids in `values`, ABSENT when the event has none. */
  appId: Uint32Array;
  /** Ids in `clients`, ABSENT when the event has none. */
  clientSessionId: Uint32Array;
  userId: Uint32Array;
  /** `eventData` as JSON, only for the slots that have it. */
  readonly eventData = new Map<number, string>();
  /** payload, meta, context and groupId, only for the slots that have some. */
  readonly details = new EventDetails();
  /** Ids that are not core's 15-char format, by slot. */
  readonly oddIds = new Map<number, string>();
  readonly #values: Interner;
  readonly #clients: Interner;
  readonly #sessions: SessionTable;

  constructor(maxSize: number, values: Interner, clients: Interner, sessions: SessionTable) {
    this.maxSize = maxSize;
    this.#values = values;
    this.#clients = clients;
    this.#sessions = sessions;
    this.allocated = Math.min(maxSize, INITIAL_SLOTS);
    this.timestamp = new Float64Array(this.allocated);
    this.idHigh = new Float64Array(this.allocated);
    this.idLow = new Float64Array(this.allocated);
    this.website = new Uint32Array(this.allocated);
    this.session = new Uint32Array(this.allocated);
    this.type = new Uint32Array(this.allocated);
    this.path = new Uint32Array(this.allocated);
    this.eventName = new Uint32Array(this.allocated);
    this.receivedAt = new Float64Array(this.allocated);
    this.flags = new Uint8Array(this.allocated);
    this.appId = new Uint32Array(this.allocated);
    this.clientSessionId = new Uint32Array(this.allocated);
    this.userId = new Uint32Array(this.allocated);
  }

  /**
   * Store `event` in the next slot, evicting the oldest one when the ring is full. `high`/`low` are
   * its id packed by `packId` (`high` = ODD_ID for an id kept as a string).
   */
  append(event: EventRecord, high: number, low: number): void {
    const occupied = this.nextSeq - this.firstSeq;
    if (occupied === this.allocated) {
      if (this.allocated < this.maxSize) this.#grow();
      else this.#evictOldest();
    }
    const slot = this.nextSeq % this.allocated;
    this.nextSeq++;
    this.live++;
    const values = this.#values;
    this.timestamp[slot] = event.timestamp;
    this.idHigh[slot] = high;
    this.idLow[slot] = low;
    if (high === ODD_ID) this.oddIds.set(slot, flat(event.id));
    this.website[slot] = values.intern(event.website);
    this.session[slot] = this.#sessions.reference(event.session);
    this.type[slot] = values.intern(event.type);
    this.path[slot] = values.intern(event.path);
    this.eventName[slot] = values.intern(event.eventName);
    if (event.eventData !== undefined) this.eventData.set(slot, JSON.stringify(event.eventData));
    this.receivedAt[slot] = event.receivedAt ?? Number.NaN;
    const flags = encodeFlags(event.level, event.clockAdjusted);
    this.flags[slot] = flags;
    this.appId[slot] = event.appId === undefined ? ABSENT : values.intern(event.appId);
    const clients = this.#clients;
    this.clientSessionId[slot] =
      event.clientSessionId === undefined ? ABSENT : clients.intern(event.clientSessionId);
    this.userId[slot] = event.userId === undefined ? ABSENT : clients.intern(event.userId);
    this.details.set(slot, event, levelOf(flags) === ODD_LEVEL ? event.level : undefined);
  }

  /** Turn a live slot into a tombstone, releasing what it references. */
  discard(slot: number): void {
    if (this.session[slot] === DEAD) return;
    this.#release(slot);
    this.session[slot] = DEAD;
    this.live--;
  }

  /** The event held in a live slot. */
  record(slot: number): EventRecord {
    const values = this.#values;
    const high = this.idHigh[slot] ?? ODD_ID;
    const record: EventRecord = {
      id: high === ODD_ID ? (this.oddIds.get(slot) ?? '') : unpackId(high, this.idLow[slot] ?? 0),
      session: this.#sessions.idOf(this.session[slot] ?? DEAD),
      website: values.get(this.website[slot] ?? 0),
      type: values.get(this.type[slot] ?? 0),
      path: values.get(this.path[slot] ?? 0),
      eventName: values.get(this.eventName[slot] ?? 0),
      timestamp: this.timestamp[slot] ?? 0,
    };
    const data = this.eventData.get(slot);
    if (data !== undefined) record.eventData = JSON.parse(data) as Record<string, unknown>;
    const receivedAt = this.receivedAt[slot] ?? Number.NaN;
    if (!Number.isNaN(receivedAt)) record.receivedAt = receivedAt;
    const flags = this.flags[slot] ?? 0;
    const clockAdjusted = clockAdjustedOf(flags);
    if (clockAdjusted !== undefined) record.clockAdjusted = clockAdjusted;
    const appId = this.appId[slot] ?? ABSENT;
    if (appId !== ABSENT) record.appId = values.get(appId);
    const level = knownLevel(levelOf(flags));
    if (level !== undefined) record.level = level;
    const clientSessionId = this.clientSessionId[slot] ?? ABSENT;
    if (clientSessionId !== ABSENT) record.clientSessionId = this.#clients.get(clientSessionId);
    const userId = this.userId[slot] ?? ABSENT;
    if (userId !== ABSENT) record.userId = this.#clients.get(userId);
    this.details.read(slot, record);
    return record;
  }

  #evictOldest(): void {
    const slot = this.firstSeq % this.allocated;
    if (this.session[slot] !== DEAD) {
      this.#release(slot);
      this.live--;
      this.evicted++;
    }
    this.firstSeq++;
  }

  #release(slot: number): void {
    const values = this.#values;
    values.release(this.website[slot] ?? 0);
    values.release(this.type[slot] ?? 0);
    values.release(this.path[slot] ?? 0);
    values.release(this.eventName[slot] ?? 0);
    this.#sessions.unreference(this.session[slot] ?? DEAD);
    const appId = this.appId[slot] ?? ABSENT;
    if (appId !== ABSENT) values.release(appId);
    for (const column of [this.clientSessionId, this.userId]) {
      const id = column[slot] ?? ABSENT;
      if (id !== ABSENT) this.#clients.release(id);
    }
    this.eventData.delete(slot);
    this.details.delete(slot);
    this.oddIds.delete(slot);
  }

  /** Growth happens only before the first eviction, while slots 0..n-1 hold seqs 0..n-1. */
  #grow(): void {
    const size = Math.min(this.maxSize, this.allocated * 2);
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
    this.allocated = size;
  }
}
