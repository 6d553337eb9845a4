import { hashId, key, SiteWindow } from './site-window.ts';
import type { StoredIdentities } from './stored-identities.ts';
import type { TrackResult } from './types.ts';

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
    hashId(identity);
    const { hi, lo } = key;
    const slot = window.find(hi, lo);
    if (slot < 0) this.#add(window, site, hi, lo, sessionId);
    else window.settle(slot, hi, lo, sessionId);
  }

  /**
   * `record()` once per identity: a later call answers `duplicate(sessionId)`. A refused or failed
   * recording is forgotten, so that a retry can succeed. No identity: always records.
   */
  once(
    site: string,
    identity: string | undefined,
    duplicate: (sessionId: string) => TrackResult,
    record: () => TrackResult | Promise<TrackResult>,
  ): TrackResult | Promise<TrackResult> {
    if (identity === undefined) return record();
    const window = this.#window(site);
    hashId(identity);
    const { hi, lo } = key;
    const seen = window.find(hi, lo);
    if (seen >= 0) return duplicate(window.session(seen) as string);
    const stored = this.#options.stored;
    if (stored?.warming) {
      // Taken ('') before asking, so that a copy arriving meanwhile is answered from the window.
      const slot = this.#add(window, site, hi, lo, '');
      return stored.lookup(site, identity).then((session) => {
        if (session !== undefined) {
          window.settle(slot, hi, lo, session);
          return duplicate(session);
        }
        // A throw becomes a rejection, so that the slot is freed for a retry.
        const recorded = new Promise<TrackResult>((resolve) => resolve(record()));
        return this.#settle(window, slot, hi, lo, recorded);
      });
    }
    const recorded = record();
    // A synchronous recording cannot interleave with another event: remember its outcome once.
    if (!(recorded instanceof Promise)) {
      if (recorded.ok) this.#add(window, site, hi, lo, recorded.sessionId);
      return recorded;
    }
    // An asynchronous one can: a copy arriving before it settles must find it already taken ('').
    return this.#settle(window, this.#add(window, site, hi, lo, ''), hi, lo, recorded);
  }

  /** Gives a slot taken with '' its session once the recording settled; a failure frees it for a retry. */
  #settle(
    window: SiteWindow,
    slot: number,
    hi: number,
    lo: number,
    recorded: TrackResult | Promise<TrackResult>,
  ): Promise<TrackResult> {
    return Promise.resolve(recorded).then(
      (result) => {
        window.settle(slot, hi, lo, result.ok ? result.sessionId : undefined);
        return result;
      },
      (error: unknown) => {
        window.settle(slot, hi, lo, undefined);
        throw error;
      },
    );
  }
}
