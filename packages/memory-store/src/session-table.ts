import { hasPageViews, isBounce, type SessionRecord } from '@skopos/core';
import { flat } from './flat-string.ts';
import { HoldLog } from './hold-log.ts';
import type { Interner } from './interner.ts';
import {
  BOUNCED,
  ENGAGED,
  HAS_ROW,
  NEW_VISITOR,
  type NumberField,
  type RowWatcher,
  SESSION_NUMBER_FIELDS,
  SESSION_TEXT_FIELDS,
  type TextField,
  WITH_PAGE_VIEWS,
} from './session-columns.ts';

const NONE = -1;

/**
 * Sessions by slot, columnar like the events (~140 bytes a row plus its id). A slot exists while
 * the session has a row or events still reference it: events hold the slot number, never the id
 * string. Rows are bounded by `maxRows`; the least recently written row (the pipeline rewrites a
 * session on each activity, so: the least recently active) is evicted first.
 */
export class SessionTable {
  /** Told of every row change while a stats call's session pass runs (see `RowWatcher`). */
  readonly watchers = new Set<RowWatcher>();
  readonly text = {} as Record<TextField, Uint32Array>;
  readonly numbers = {} as Record<NumberField, Float64Array>;
  visitor: Uint32Array;
  flags: Uint8Array;
  rowCount = 0;
  readonly #maxRows: number;
  readonly #values: Interner;
  readonly #visitors: Interner;
  #refs: Uint32Array;
  /** Row recency list through slots: `#newer[slot]`/`#older[slot]`, NONE at the ends. */
  #newer: Int32Array;
  #older: Int32Array;
  #newest = NONE;
  #oldest = NONE;
  readonly #ids: (string | undefined)[] = [];
  readonly #slots = new Map<string, number>();
  readonly #free: number[] = [];
  readonly #ipAddress = new Map<number, string>();
  /** Revisions of rows from shared sessions (sparse: rows of one process have none). */
  readonly #revision = new Map<number, number>();
  /** Slots left unused while stats calls are in flight (see `hold`). */
  readonly #holds = new HoldLog();
  /** Each visitor's (`SessionRecord.visitor`) latest session row: `findSession` without a scan. */
  readonly #latestOfVisitor = new Map<string, number>();

  constructor(maxRows: number, values: Interner, visitors: Interner) {
    this.#maxRows = maxRows;
    this.#values = values;
    this.#visitors = visitors;
    const size = 1024;
    for (const field of SESSION_TEXT_FIELDS) this.text[field] = new Uint32Array(size);
    for (const field of SESSION_NUMBER_FIELDS) this.numbers[field] = new Float64Array(size);
    this.visitor = new Uint32Array(size);
    this.flags = new Uint8Array(size);
    this.#refs = new Uint32Array(size);
    this.#newer = new Int32Array(size);
    this.#older = new Int32Array(size);
  }

  /** One more than the largest slot: the length a per-slot scratch array needs. */
  get capacity(): number {
    return this.#ids.length;
  }

  /** The slot of session `id` for a new event referencing it (kept until unreferenced). */
  reference(id: string): number {
    const slot = this.#slots.get(id) ?? this.#allocate(id);
    this.#refs[slot] = (this.#refs[slot] ?? 0) + 1;
    return slot;
  }

  unreference(slot: number): void {
    this.#refs[slot] = (this.#refs[slot] ?? 1) - 1;
    this.#freeIfUnused(slot);
  }

  idOf(slot: number): string {
    return this.#ids[slot] ?? '';
  }

  /** The slot of session `id`, or -1 when neither a row nor an event holds it. */
  slotOf(id: string): number {
    return this.#slots.get(id) ?? -1;
  }

  hasRow(slot: number): boolean {
    return ((this.flags[slot] ?? 0) & HAS_ROW) !== 0;
  }

  /** Insert or replace the row of `row.id` (the full latest state). */
  upsert(row: SessionRecord): void {
    const known = this.#slots.get(row.id);
    // Several processes write one shared session in any order: a row never replaces one of a higher
    // revision, and a row without one (a single process's) never replaces one that has one.
    const held = known === undefined || this.#revision.size === 0 ? undefined : this.#revision.get(known);
    if (held !== undefined && (row.revision === undefined || held > row.revision)) return;
    const slot = known ?? this.#allocate(row.id);
    if (this.hasRow(slot)) {
      if (this.watchers.size > 0) for (const watcher of this.watchers) watcher.leaving(slot);
      this.#releaseRow(slot);
      this.#unlink(slot);
    } else {
      this.rowCount++;
    }
    for (const field of SESSION_TEXT_FIELDS) this.text[field][slot] = this.#values.intern(row[field]);
    for (const field of SESSION_NUMBER_FIELDS) this.numbers[field][slot] = row[field];
    this.visitor[slot] = this.#visitors.intern(row.visitor);
    this.flags[slot] =
      HAS_ROW |
      (row.isNewVisitor ? NEW_VISITOR : 0) |
      (row.isEngaged ? ENGAGED : 0) |
      (isBounce(row) ? BOUNCED : 0) |
      (hasPageViews(row) ? WITH_PAGE_VIEWS : 0);
    if (row.ipAddress !== undefined) this.#ipAddress.set(slot, row.ipAddress);
    if (row.revision !== undefined) this.#revision.set(slot, row.revision);
    const latest = this.#latestOfVisitor.get(row.visitor);
    if (latest === undefined || (this.numbers.lastActivityAt[latest] ?? 0) <= row.lastActivityAt) {
      this.#latestOfVisitor.set(row.visitor, slot);
    }
    this.#linkNewest(slot);
    if (this.watchers.size > 0) for (const watcher of this.watchers) watcher.arrived(slot);
    if (this.rowCount > this.#maxRows && this.#oldest !== NONE) this.#removeSlot(this.#oldest);
  }

  /** Delete the row of session `id`; answers its slot (events may still hold it) or -1. */
  remove(id: string): number {
    const slot = this.#slots.get(id);
    if (slot === undefined) return -1;
    if (this.hasRow(slot)) this.#removeSlot(slot);
    return slot;
  }

  /** The visitor's latest session row on `website` active since `since`, or null. */
  findLatest(website: string, visitor: string, since: number): SessionRecord | null {
    const slot = this.#latestOfVisitor.get(visitor);
    if (slot === undefined || !this.hasRow(slot)) return null;
    const row = this.row(slot);
    return row.website === website && row.lastActivityAt >= since ? row : null;
  }

  isEngaged(slot: number): boolean {
    return ((this.flags[slot] ?? 0) & ENGAGED) !== 0;
  }

  /** The row held in `slot` (which must have one). */
  row(slot: number): SessionRecord {
    const text = (field: TextField): string => this.#values.get(this.text[field][slot] ?? 0);
    const number = (field: NumberField): number => this.numbers[field][slot] ?? 0;
    const flags = this.flags[slot] ?? 0;
    const row: SessionRecord = {
      id: this.idOf(slot),
      website: text('website'),
      visitor: this.#visitors.get(this.visitor[slot] ?? 0),
      browser: text('browser'),
      os: text('os'),
      device: text('device'),
      screenWidth: number('screenWidth'),
      screenHeight: number('screenHeight'),
      language: text('language'),
      entryPath: text('entryPath'),
      exitPath: text('exitPath'),
      referrer: text('referrer'),
      utmSource: text('utmSource'),
      utmMedium: text('utmMedium'),
      utmCampaign: text('utmCampaign'),
      country: text('country'),
      state: text('state'),
      isNewVisitor: (flags & NEW_VISITOR) !== 0,
      eventCount: number('eventCount'),
      pageViews: number('pageViews'),
      isEngaged: (flags & ENGAGED) !== 0,
      startedAt: number('startedAt'),
      lastActivityAt: number('lastActivityAt'),
      duration: number('duration'),
    };
    const ip = this.#ipAddress.get(slot);
    if (ip !== undefined) row.ipAddress = ip;
    const revision = this.#revision.get(slot);
    if (revision !== undefined) row.revision = revision;
    // A row written without pageViews (Skopos 0.1's shape) reads back without it, as core expects.
    if (Number.isNaN(row.pageViews)) delete (row as Partial<SessionRecord>).pageViews;
    return row;
  }

  /** Slots with a row, least recently written first. */
  *rowSlots(): IterableIterator<number> {
    for (let slot = this.#oldest; slot !== NONE; slot = this.#newer[slot] ?? NONE) yield slot;
  }

  #removeSlot(slot: number): void {
    if (this.watchers.size > 0) for (const watcher of this.watchers) watcher.leaving(slot);
    const visitor = this.#visitors.get(this.visitor[slot] ?? 0);
    if (this.#latestOfVisitor.get(visitor) === slot) this.#latestOfVisitor.delete(visitor);
    this.#releaseRow(slot);
    this.#unlink(slot);
    this.flags[slot] = 0;
    this.rowCount--;
    this.#freeIfUnused(slot);
  }

  #releaseRow(slot: number): void {
    for (const field of SESSION_TEXT_FIELDS) this.#values.release(this.text[field][slot] ?? 0);
    this.#visitors.release(this.visitor[slot] ?? 0);
    this.#ipAddress.delete(slot);
    this.#revision.delete(slot);
  }

  #linkNewest(slot: number): void {
    this.#older[slot] = this.#newest;
    this.#newer[slot] = NONE;
    if (this.#newest !== NONE) this.#newer[this.#newest] = slot;
    else this.#oldest = slot;
    this.#newest = slot;
  }

  #unlink(slot: number): void {
    const older = this.#older[slot] ?? NONE;
    const newer = this.#newer[slot] ?? NONE;
    if (older !== NONE) this.#newer[older] = newer;
    else this.#oldest = newer;
    if (newer !== NONE) this.#older[newer] = older;
    else this.#newest = older;
  }

  /**
   * Keep every slot's session until `unhold(token)`: a slot left without row or events is neither
   * freed nor reused meanwhile, so session slots noted across turns of the event loop name the
   * same session (its row may still change or go). Holds may overlap.
   */
  hold(): number {
    return this.#holds.hold();
  }

  unhold(token: number): void {
    this.#holds.unhold(token, (slot) => {
      if ((this.#refs[slot] ?? 0) === 0 && !this.hasRow(slot)) this.#freeSlot(slot);
    });
  }

  #freeIfUnused(slot: number): void {
    if ((this.#refs[slot] ?? 0) > 0 || this.hasRow(slot)) return;
    if (this.#holds.holding) {
      this.#holds.defer(slot);
      return;
    }
    this.#freeSlot(slot);
  }

  #freeSlot(slot: number): void {
    const id = this.#ids[slot];
    if (id === undefined) return;
    this.#slots.delete(id);
    this.#ids[slot] = undefined;
    this.#free.push(slot);
  }

  #allocate(id: string): number {
    const slot = this.#free.pop() ?? this.#ids.length;
    if (slot >= this.flags.length) this.#grow(this.flags.length * 2);
    this.#ids[slot] = flat(id);
    this.#slots.set(id, slot);
    this.#refs[slot] = 0;
    this.flags[slot] = 0;
    return slot;
  }

  #grow(size: number): void {
    const grow = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    for (const field of SESSION_TEXT_FIELDS) this.text[field] = grow(this.text[field], new Uint32Array(size));
    for (const field of SESSION_NUMBER_FIELDS) {
      this.numbers[field] = grow(this.numbers[field], new Float64Array(size));
    }
    this.visitor = grow(this.visitor, new Uint32Array(size));
    this.flags = grow(this.flags, new Uint8Array(size));
    this.#refs = grow(this.#refs, new Uint32Array(size));
    this.#newer = grow(this.#newer, new Int32Array(size));
    this.#older = grow(this.#older, new Int32Array(size));
  }
}
