import { type EventRecord, isPageView } from '@skopos/core';
import { ABSENT, DEAD, EventColumns } from './event-columns.ts';
import { EventDetails } from './event-detail.ts';
import {
  clockAdjustedOf,
  encodeFlags,
  HAS_DETAIL,
  HAS_EVENT_DATA,
  knownLevel,
  levelOf,
  ODD_LEVEL,
} from './event-flags.ts';
import { ODD_ID, unpackId } from './event-id-codec.ts';
import { flat } from './flat-string.ts';
import type { Interner } from './interner.ts';
import type { SessionTable } from './session-table.ts';
import type { SiteQueue } from './site-queues.ts';

const INITIAL_SLOTS = 1024;

/** Told of slot changes while a yielding stats call counts the ring (see `yieldingStats`). */
export interface RingWatcher {
  /** A live event is about to leave `slot` (its columns still hold it). */
  releasing(slot: number): void;
  /** A new event was stored in `slot`. */
  appended(slot: number): void;
}

/**
 * Events as a columnar ring buffer (the columns: `EventColumns`), so an event costs ~82 bytes plus
 * its `eventData` and detail JSON when it has some. The tab and user ids of
 * vite-plugin-monitor events have their own interner (`clients`): many distinct values that
 * would otherwise size every stats counter over `values`. `seq` numbers are absolute and only
 * grow; `slot = seq % allocated`. Arrays grow by doubling up to `maxSize` and only before the
 * first wrap, so slots stay in seq order. When full, the oldest event is evicted first (FIFO, seed
 * 002), but per site: a site under an equal share of the buffer is never evicted for another's
 * writes, and a site at `maxPerSite` makes room with its own oldest (see `#makeRoom`).
 */
export class EventRing extends EventColumns {
  readonly maxSize: number;
  /** Live events one site may hold; at it, the site's own oldest event makes room. */
  readonly maxPerSite: number;
  /** Seq of the oldest slot held; `nextSeq - firstSeq` slots are occupied (tombstones included). */
  firstSeq = 0;
  nextSeq = 0;
  /** Live (non-discarded) events held. */
  live = 0;
  /** Live events pushed out by capacity, a site's quota or the byte budget. */
  evicted = 0;
  /**
   * Characters of the variable-size fields the live events hold (`eventData`, payload, meta,
   * context, path, name): what a count of events alone does not bound (up to ~32 KB an event).
   */
  heldChars = 0;
  /** `eventData` as JSON, only for the slots that have it. */
  readonly eventData = new Map<number, string>();
  /** payload, meta, context and groupId, only for the slots that have some. */
  readonly details = new EventDetails();
  /** Ids that are not core's 15-char format, by slot. */
  readonly oddIds = new Map<number, string>();
  /** Stats calls counting the ring across turns of the event loop. */
  readonly watchers = new Set<RingWatcher>();
  readonly #values: Interner;
  readonly #clients: Interner;
  readonly #sessions: SessionTable;

  constructor(
    maxSize: number,
    maxPerSite: number,
    values: Interner,
    clients: Interner,
    sessions: SessionTable,
  ) {
    super(Math.min(maxSize, INITIAL_SLOTS));
    this.maxSize = maxSize;
    this.maxPerSite = maxPerSite;
    this.#values = values;
    this.#clients = clients;
    this.#sessions = sessions;
  }

  /**
   * Store `event` in the next slot, making room first (see `#makeRoom`); answers the seq it got.
   * `high`/`low` are its id packed by `packId` (`high` = ODD_ID for an id kept as a string).
   */
  append(event: EventRecord, high: number, low: number): number {
    const values = this.#values;
    // Interned first: the reference keeps the id (and the site's queue link) through the evictions.
    const website = values.intern(event.website);
    const site = this.sites.enter(website, event.website);
    this.#makeRoom(site.held >= this.maxPerSite ? site : undefined);
    const seq = this.nextSeq++;
    const slot = seq % this.allocated;
    this.sites.push(website, site, slot);
    this.live++;
    this.timestamp[slot] = event.timestamp;
    this.idHigh[slot] = high;
    this.idLow[slot] = low;
    if (high === ODD_ID) this.oddIds.set(slot, flat(event.id));
    this.website[slot] = website;
    this.session[slot] = this.#sessions.reference(event.session);
    this.type[slot] = values.intern(event.type);
    this.path[slot] = values.intern(event.path);
    this.eventName[slot] = values.intern(event.eventName);
    let chars = event.path.length + event.eventName.length;
    const samePage = event.type === 'navigation' && !isPageView(event);
    let flags = encodeFlags(event.level, event.clockAdjusted, samePage);
    if (event.eventData !== undefined) {
      const data = JSON.stringify(event.eventData);
      chars += data.length;
      this.eventData.set(slot, data);
      flags |= HAS_EVENT_DATA;
    }
    this.receivedAt[slot] = event.receivedAt ?? Number.NaN;
    this.appId[slot] = event.appId === undefined ? ABSENT : values.intern(event.appId);
    const clients = this.#clients;
    this.clientSessionId[slot] =
      event.clientSessionId === undefined ? ABSENT : clients.intern(event.clientSessionId);
    this.userId[slot] = event.userId === undefined ? ABSENT : clients.intern(event.userId);
    // Counted again from what the slot holds when it is released (`#charsOf`): no column per slot.
    const detailChars = this.details.set(slot, event, levelOf(flags) === ODD_LEVEL ? event.level : undefined);
    if (detailChars > 0) flags |= HAS_DETAIL;
    this.flags[slot] = flags;
    chars += detailChars;
    this.heldChars += chars;
    site.chars += chars;
    this.monitor.set(slot, event);
    if (this.watchers.size > 0) for (const watcher of this.watchers) watcher.appended(slot);
    return seq;
  }

  /**
   * Make a tombstone of every event whose session slot is marked in `doomed` (not counted as
   * evicted): one pass over the ring, then one over the queues of the sites that lost some.
   */
  discardSessions(doomed: Uint8Array): void {
    const { session, website } = this;
    const touched = new Set<SiteQueue>();
    let slot = this.firstSeq % this.allocated;
    for (let n = this.nextSeq - this.firstSeq; n > 0; n--) {
      const s = session[slot] ?? DEAD;
      if (s !== DEAD && doomed[s] === 1) {
        touched.add(this.sites.of(website[slot] ?? 0));
        this.#release(slot, false);
      }
      if (++slot === this.allocated) slot = 0;
    }
    for (const queue of touched) this.sites.unlinkDead(queue, (dead) => session[dead] === DEAD);
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
    const flags = this.flags[slot] ?? 0;
    const data = (flags & HAS_EVENT_DATA) === 0 ? undefined : this.eventData.get(slot);
    if (data !== undefined) record.eventData = JSON.parse(data) as Record<string, unknown>;
    const receivedAt = this.receivedAt[slot] ?? Number.NaN;
    if (!Number.isNaN(receivedAt)) record.receivedAt = receivedAt;
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
    if ((flags & HAS_DETAIL) !== 0) this.details.read(slot, record);
    return record;
  }

  /**
   * Free the slot at `nextSeq`, evicting at most one event, always the oldest of its site: the
   * writer's own when it is at its quota (`atQuota`); else, once the ring is full, that of the site
   * owning the oldest slot, unless that site holds less than an equal share of the buffer (then the
   * slot is spared and the next one looked at). The evicted event becomes a tombstone where it
   * is; live events are rotated past the oldest slot until it is a tombstone, which is dropped.
   * Rotating costs nothing: in a full ring the oldest slot is the one `nextSeq` would take, so
   * moving both seqs on by one keeps the event in place, now as the newest. Spared events are
   * rotated once per pass over the ring, so a write costs O(1) amortized; a site alone in the
   * buffer is evicted in plain FIFO order, without rotations.
   */
  #makeRoom(atQuota: SiteQueue | undefined): void {
    let evicted = atQuota !== undefined;
    if (atQuota !== undefined) this.#release(this.sites.shift(atQuota), true);
    while (this.nextSeq - this.firstSeq === this.allocated) {
      if (this.allocated < this.maxSize) {
        this.#grow();
        return;
      }
      const slot = this.firstSeq % this.allocated;
      if (!evicted && this.session[slot] !== DEAD) {
        const owner = this.sites.of(this.website[slot] ?? 0);
        if (!this.sites.isUnderShare(owner, this.live)) {
          this.#release(this.sites.shift(owner), true);
          evicted = true;
        }
      }
      this.firstSeq++;
      if (this.session[slot] === DEAD) return;
      this.nextSeq++;
    }
  }

  /**
   * Evicts events until the variable-size fields held fit `maxChars`: a byte budget next to the
   * count, which large monitor events (payload, meta, context) would otherwise make worth
   * gigabytes. Each time the oldest event of the site holding the most goes, so one site's large
   * events do not push out another's; the newest event stays whatever its size.
   */
  trimChars(maxChars: number): void {
    const newest = (this.nextSeq - 1) % this.allocated;
    while (this.heldChars > maxChars) {
      const heaviest = this.sites.heaviest();
      if (heaviest === undefined || heaviest.first === newest) return;
      this.#release(this.sites.shift(heaviest), true);
    }
  }

  /** What `append` added to `heldChars` for the live `slot` (its `flags`), read back from what it holds. */
  #charsOf(slot: number, flags: number): number {
    const values = this.#values;
    let chars = values.get(this.path[slot] ?? 0).length + values.get(this.eventName[slot] ?? 0).length;
    if ((flags & HAS_EVENT_DATA) !== 0) chars += this.eventData.get(slot)?.length ?? 0;
    if ((flags & HAS_DETAIL) !== 0) chars += this.details.charsOf(slot);
    return chars;
  }

  /** Turn a live slot into a tombstone, releasing what it references and uncounting it. */
  #release(slot: number, evicted: boolean): void {
    if (this.watchers.size > 0) for (const watcher of this.watchers) watcher.releasing(slot);
    const values = this.#values;
    const website = this.website[slot] ?? 0;
    const flags = this.flags[slot] ?? 0;
    const chars = this.#charsOf(slot, flags);
    this.heldChars -= chars;
    this.sites.of(website).chars -= chars;
    this.sites.remove(website, evicted);
    values.release(website);
    values.release(this.type[slot] ?? 0);
    values.release(this.path[slot] ?? 0);
    values.release(this.eventName[slot] ?? 0);
    this.#sessions.unreference(this.session[slot] ?? DEAD);
    const appId = this.appId[slot] ?? ABSENT;
    if (appId !== ABSENT) values.release(appId);
    const clientSessionId = this.clientSessionId[slot] ?? ABSENT;
    if (clientSessionId !== ABSENT) this.#clients.release(clientSessionId);
    const userId = this.userId[slot] ?? ABSENT;
    if (userId !== ABSENT) this.#clients.release(userId);
    if ((flags & HAS_EVENT_DATA) !== 0) this.eventData.delete(slot);
    if ((flags & HAS_DETAIL) !== 0) this.details.delete(slot);
    this.flags[slot] = flags & ~(HAS_EVENT_DATA | HAS_DETAIL);
    this.monitor.release(slot);
    if (this.idHigh[slot] === ODD_ID) this.oddIds.delete(slot);
    this.session[slot] = DEAD;
    this.live--;
    if (evicted) this.evicted++;
  }

  /**
   * Growth happens only before the ring first wraps (`firstSeq` is still 0), while slots 0..n-1
   * hold seqs 0..n-1, tombstones included: slots keep their numbers, and so do the site queues.
   */
  #grow(): void {
    this.growColumns(Math.min(this.maxSize, this.allocated * 2));
  }
}
