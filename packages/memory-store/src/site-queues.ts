/** The events one site holds in the ring buffer, oldest first. */
export interface SiteQueue {
  /** Live events held now. */
  held: number;
  /** Live events pushed out by the buffer's capacity or the site's quota. */
  evicted: number;
  /** Slots of the oldest and the newest event held (meaningless while `held` is 0). */
  first: number;
  last: number;
  /** Characters of the variable-size fields of its live events (see `EventRing.heldChars`). */
  chars: number;
}

/**
 * Per site, its events in arrival order as a list through the ring's slots (`next`, 4 bytes an
 * event): the ring may keep an event in place while it moves others past it, so slot order is not
 * a site's arrival order, and evicting "the site's oldest" needs its own order. Sites are known to
 * the ring by interned id, which is recycled once nothing references it, so the id → queue link
 * lasts only while the site holds events; queues are kept by website for the lifetime of the
 * store (one small object per site ever written) so that eviction counts survive.
 */
export class SiteQueues {
  /** Per slot: the slot of the same site's next event. */
  next: Uint32Array;
  /** Sites holding at least one event. */
  active = 0;
  readonly #byWebsite = new Map<string, SiteQueue>();
  /** By interned website id; an array, not a Map: it is read on every write. */
  readonly #byId: (SiteQueue | undefined)[] = [];

  constructor(slots: number) {
    this.next = new Uint32Array(slots);
  }

  /** Follow the ring's growth (slots keep their numbers). */
  grow(slots: number): void {
    const next = new Uint32Array(slots);
    next.set(this.next);
    this.next = next;
  }

  /** The queue of a site about to store an event; `id` is its interned id, referenced by the caller. */
  enter(id: number, website: string): SiteQueue {
    const linked = this.#byId[id];
    if (linked !== undefined) return linked;
    let queue = this.#byWebsite.get(website);
    if (queue === undefined) {
      queue = { held: 0, evicted: 0, first: 0, last: 0, chars: 0 };
      this.#byWebsite.set(website, queue);
    }
    return queue;
  }

  /** Count the event just stored in `slot` as the newest of `queue` (from `enter`, same `id`). */
  push(id: number, queue: SiteQueue, slot: number): void {
    // Linked here, not in `enter`: making room may have taken the site's last event meanwhile.
    if (queue.held++ === 0) {
      this.active++;
      this.#byId[id] = queue;
      queue.first = slot;
    } else {
      this.next[queue.last] = slot;
    }
    queue.last = slot;
  }

  /** The queue of the site with interned id `id`, which holds at least one event. */
  of(id: number): SiteQueue {
    return this.#byId[id] as SiteQueue;
  }

  /** The queue of the site with interned id `id`, or undefined when it holds no event. */
  find(id: number): SiteQueue | undefined {
    return this.#byId[id];
  }

  /** Unlink the site's oldest event and answer its slot; the caller then releases it. */
  shift(queue: SiteQueue): number {
    const slot = queue.first;
    queue.first = this.next[slot] ?? 0;
    return slot;
  }

  /** Uncount an event of site `id` leaving the ring; call before the ring releases the id. */
  remove(id: number, evicted: boolean): void {
    const queue = this.of(id);
    if (evicted) queue.evicted++;
    if (--queue.held === 0) {
      this.active--;
      this.#byId[id] = undefined;
    }
  }

  /** The site holding the most characters of variable-size fields, if any holds events. */
  heaviest(): SiteQueue | undefined {
    let found: SiteQueue | undefined;
    // By website, not by interned id: the ids are shared with every interned string (paths…).
    for (const queue of this.#byWebsite.values()) {
      if (queue.held > 0 && (found === undefined || queue.chars > found.chars)) found = queue;
    }
    return found;
  }

  /**
   * Whether the site is spared when the full buffer needs room: it holds fewer than an equal share
   * of the `live` events. Some site always holds at least that share, so one can always give way.
   */
  isUnderShare(queue: SiteQueue, live: number): boolean {
    return queue.held * this.active < live;
  }

  /**
   * Drop from the queue the events discarded (`isDead`) without `shift`. `held` already counts only
   * the live ones, all still linked in order, so the walk stops at the last of them.
   */
  unlinkDead(queue: SiteQueue, isDead: (slot: number) => boolean): void {
    if (queue.held === 0) return;
    const next = this.next;
    let slot = queue.first;
    while (isDead(slot)) slot = next[slot] ?? 0;
    queue.first = slot;
    for (let n = queue.held - 1; n > 0; n--) {
      let following = next[slot] ?? 0;
      while (isDead(following)) following = next[following] ?? 0;
      next[slot] = following;
      slot = following;
    }
    queue.last = slot;
  }

  /** Counts of a site by website record id (zeros for one never written). */
  get(website: string): { held: number; evicted: number } {
    const queue = this.#byWebsite.get(website);
    return { held: queue?.held ?? 0, evicted: queue?.evicted ?? 0 };
  }
}
