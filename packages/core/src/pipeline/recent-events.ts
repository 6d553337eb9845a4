import { key, SiteWindow } from './site-window.ts';
import type { StoredIdentities } from './stored-identities.ts';
import type { TrackResult } from './types.ts';

/** `SkoposOptions.identityWindow` when not given: 100 000 identities per site, a 10-minute horizon. */
export const DEFAULT_IDENTITY_WINDOW: Readonly<{ perSite: number; horizonMs: number }> = Object.freeze({
  perSite: 100_000,
  horizonMs: 10 * 60_000,
});

export interface RecentEventsOptions {
  /** Identities kept per site; the oldest are forgotten first (default 100 000). */
  maxPerSite: number;
  /**
   * How long clients may go on re-sending an event: the window should reach back at least this far
   * (default 10 min, well beyond vite-plugin-monitor's retry every 3–5 s and the SDK's retries).
   */
  horizonMs: number;
  /** Told once per site when its window forgot an identity younger than the horizon. */
  onShortWindow(site: string, ageMs: number): void;
  /** Asked, while it is warming up, about an identity the window does not hold (see `StoredIdentities`). */
  stored?: StoredIdentities | undefined;
}

/**
 * The stored ids of the latest events that carried a client id, with their session, one window per
 * site: a re-sent event (a retried batch) is answered from here and changes nothing, not its
 * session's page views, engagement or duration, nor an error's count. A flood on one site forgets
 * only that site's identities.
 */
export class RecentEvents {
  readonly #sites = new Map<string, SiteWindow>();
  /**
   * The recordings still under way, by site and identity: a copy arriving meanwhile waits for the
   * first one's outcome instead of being acknowledged before anything is stored.
   */
  readonly #inFlight = new Map<string, Promise<TrackResult>>();
  readonly #warned = new Set<string>();
  readonly #options: RecentEventsOptions;
  readonly #now: () => number;

  constructor(options: RecentEventsOptions, now: () => number = Date.now) {
    this.#options = options;
    this.#now = now;
  }

  #window(site: string): SiteWindow {
    let window = this.#sites.get(site);
    if (window === undefined) {
      window = new SiteWindow(this.#options.maxPerSite, this.#now());
      this.#sites.set(site, window);
    }
    return window;
  }

  #add(window: SiteWindow, site: string, hi: number, lo: number, session: string): number {
    const slot = window.add(hi, lo, session, this.#now(), this.#options.horizonMs);
    if (window.forgotYoung >= 0 && !this.#warned.has(site)) {
      this.#warned.add(site);
      this.#options.onShortWindow(site, window.forgotYoung);
    }
    return slot;
  }

  /** An event already stored (by an earlier run of the process): a later copy is a duplicate. */
  remember(site: string, identity: string, sessionId: string): void {
    const window = this.#window(site);
    window.keyOf(identity);
    const { hi, lo } = key;
    const slot = window.find(hi, lo);
    if (slot < 0) this.#add(window, site, hi, lo, sessionId);
    else window.settle(slot, hi, lo, sessionId);
  }

  /**
   * `record(event)` once per identity: a later call answers `duplicate(event, sessionId)`, once the
   * first one succeeded (a copy arriving while it is under way waits for it). A refused or failed
   * recording is forgotten, so that a retry records the event itself; so does a copy that waited for
   * a refused one, while a copy waiting for one that failed (threw) fails with it. No identity:
   * always records. `event` is handed back rather than captured, so that a caller can pass the same
   * two functions for every event instead of two closures per event (the ingest hot path).
   */
  once<E>(
    site: string,
    identity: string | undefined,
    event: E,
    duplicate: (event: E, sessionId: string) => TrackResult,
    record: (event: E) => TrackResult | Promise<TrackResult>,
  ): TrackResult | Promise<TrackResult> {
    if (identity === undefined) return record(event);
    const window = this.#window(site);
    window.keyOf(identity);
    const { hi, lo } = key;
    const seen = window.find(hi, lo);
    if (seen >= 0) {
      const session = window.session(seen) as string;
      const first = session === '' ? this.#inFlight.get(flightKey(site, identity)) : undefined;
      if (first === undefined) return duplicate(event, session);
      // Refused: the copy records itself. Failed (the store could not answer): the copy fails the
      // same way at once, rather than asking the store again in turn.
      return first.then((result) =>
        result.ok ? duplicate(event, result.sessionId) : this.once(site, identity, event, duplicate, record),
      );
    }
    const stored = this.#options.stored;
    if (stored?.warming) {
      // Taken ('') before asking, so that a copy arriving meanwhile waits for this answer.
      const slot = this.#add(window, site, hi, lo, '');
      // A throw (of `record` or of the look-up) becomes a rejection: the slot is freed for a retry.
      const recorded = stored
        .lookup(site, identity)
        .then((session) => (session === undefined ? record(event) : duplicate(event, session)));
      return this.#settle(window, slot, hi, lo, flightKey(site, identity), recorded);
    }
    const recorded = record(event);
    // A synchronous recording cannot interleave with another event: remember its outcome once.
    if (!(recorded instanceof Promise)) {
      if (recorded.ok) this.#add(window, site, hi, lo, recorded.sessionId);
      return recorded;
    }
    // An asynchronous one can: a copy arriving before it settles must find it already taken ('').
    const slot = this.#add(window, site, hi, lo, '');
    return this.#settle(window, slot, hi, lo, flightKey(site, identity), recorded);
  }

  /**
   * Gives a slot taken with '' its session once the recording settled; a failure frees it for a
   * retry. Until then the recording is the one copies of the event wait for.
   */
  #settle(
    window: SiteWindow,
    slot: number,
    hi: number,
    lo: number,
    flight: string,
    recorded: Promise<TrackResult>,
  ): Promise<TrackResult> {
    // Only its own entry: a ring wrap may have let a copy start another flight of the same event.
    const landed = (): void => {
      if (this.#inFlight.get(flight) === settled) this.#inFlight.delete(flight);
    };
    const settled: Promise<TrackResult> = recorded.then(
      (result) => {
        window.settle(slot, hi, lo, result.ok ? result.sessionId : undefined);
        landed();
        return result;
      },
      (error: unknown) => {
        window.settle(slot, hi, lo, undefined);
        landed();
        throw error;
      },
    );
    this.#inFlight.set(flight, settled);
    return settled;
  }
}

function flightKey(site: string, identity: string): string {
  return `${site}\u0000${identity}`;
}
