import {
  LIMITS,
  SkoposError,
  type WebsiteConfig,
  type WebsiteInput,
  type WebsiteListener,
  websiteFromInput,
} from '@skopos/core';
import type { WebsitePatch } from './options.ts';

function copySite(site: WebsiteConfig): WebsiteConfig {
  return { ...site, ipBlacklist: [...site.ipBlacklist] };
}

/**
 * Control characters, which no tracking id `autoCreateWebsites` accepts may hold. Any other text
 * is taken, as vite-plugin-monitor takes any `appId` ('My Shop'): ids travel in query strings and
 * bodies, never as a path or a file name.
 */
const CONTROL = /\p{Cc}/u;

/**
 * Whether `autoCreateWebsites` may make a site of this id: at most as long as an event's site id
 * may be, not blank, and without spaces around it (the dashboard trims `?site=`: `'shop '` could
 * never be opened again).
 */
function autoCreatable(trackingId: string): boolean {
  return (
    trackingId.length <= LIMITS.siteIdMaxChars &&
    trackingId !== '' &&
    trackingId === trackingId.trim() &&
    !CONTROL.test(trackingId)
  );
}

/** At most this many sites are created on first use (`autoCreateWebsites`); later unknown ids are unknown sites. */
export const MAX_AUTO_CREATED_WEBSITES = 1000;

/**
 * Sites by trackingId, with listeners told of every change (the `watchWebsite` capability). With
 * `autoCreateWebsites`, a site asked for is provisional until the store holds an event of it: a
 * read of a mistyped id, or a bot's event the pipeline then drops, must not add a site to every
 * site list for good. Kept and provisional sites together stay within `MAX_AUTO_CREATED_WEBSITES`:
 * a new id pushes out the provisional site asked for least recently, never a kept one.
 */
export class WebsiteRegistry {
  readonly #sites = new Map<string, WebsiteConfig>();
  /** Created on first use, no event stored yet: by trackingId, least recently asked first. */
  readonly #provisional = new Map<string, WebsiteConfig>();
  readonly #listeners = new Map<string, Set<WebsiteListener>>();
  readonly #autoCreate: boolean;
  /** Sites created on first use that hold events (listed, and never pushed out). */
  #kept = 0;

  constructor(inputs: readonly WebsiteInput[], autoCreate: boolean) {
    this.#autoCreate = autoCreate;
    for (const input of inputs) this.#sites.set(input.trackingId, websiteFromInput(input));
  }

  /** A copy of the site (callers may keep it), created on first use with `autoCreateWebsites`. */
  get(trackingId: string): WebsiteConfig | null {
    let site = this.#sites.get(trackingId);
    if (site !== undefined) return copySite(site);
    site = this.#provisional.get(trackingId);
    if (site !== undefined) {
      this.#provisional.delete(trackingId);
      this.#provisional.set(trackingId, site);
      return copySite(site);
    }
    // Bounded: any client can send any trackingId, and each would otherwise become a site.
    if (!this.#creatable(trackingId) || !this.#makeRoom()) return null;
    site = websiteFromInput({ trackingId });
    this.#provisional.set(trackingId, site);
    return copySite(site);
  }

  /**
   * An event of `websiteId` is stored, its `appId` (the site's trackingId) given: a site created on
   * first use is kept from now on. By trackingId, not by the provisional list alone: a provisional
   * site pushed out while the pipeline still had it cached, and events read back from log files
   * before anyone asked for their site, are kept too (a site's id derives from its trackingId).
   */
  confirm(websiteId: string, trackingId: string | undefined): void {
    if (trackingId === undefined || this.#sites.has(trackingId)) return;
    const site = this.#provisional.get(trackingId) ?? this.#created(trackingId);
    if (site === undefined || site.id !== websiteId) return;
    this.#provisional.delete(trackingId);
    this.#kept += 1;
    this.#sites.set(trackingId, site);
  }

  /** A site for an id `get` never handed out (or no longer holds), when the cap allows one. */
  #created(trackingId: string): WebsiteConfig | undefined {
    if (!this.#creatable(trackingId) || !this.#makeRoom()) return undefined;
    return websiteFromInput({ trackingId });
  }

  /** Room for one more site created on first use: at the cap, the least recently asked provisional one goes. */
  #makeRoom(): boolean {
    if (this.#kept + this.#provisional.size < MAX_AUTO_CREATED_WEBSITES) return true;
    const [oldest] = this.#provisional.keys();
    if (oldest === undefined) return false;
    this.#provisional.delete(oldest);
    return true;
  }

  #creatable(trackingId: string): boolean {
    return this.#autoCreate && autoCreatable(trackingId);
  }

  /** Copies of up to `limit` sites, sorted by trackingId. */
  list(limit: number): WebsiteConfig[] {
    return [...this.#sites.keys()]
      .sort()
      .slice(0, Math.max(0, limit))
      .map((trackingId) => copySite(this.#sites.get(trackingId) as WebsiteConfig));
  }

  /** Register a site, replacing one with the same trackingId; watchers are told. */
  add(input: WebsiteInput): WebsiteConfig {
    const site = websiteFromInput(input);
    this.#provisional.delete(site.trackingId);
    this.#sites.set(site.trackingId, site);
    this.#notify(site);
    return copySite(site);
  }

  /** Change fields of a registered site; watchers get the new config. */
  update(trackingId: string, patch: WebsitePatch): WebsiteConfig {
    const provisional = this.#provisional.get(trackingId);
    if (provisional !== undefined) this.confirm(provisional.id, trackingId);
    const current = this.#sites.get(trackingId);
    if (current === undefined) {
      throw new SkoposError(
        'website_not_found',
        `[skopos/memory-store] updateWebsite: no website with trackingId "${trackingId}"; register it with addWebsite() first`,
      );
    }
    const site = websiteFromInput({ ...current, ...patch, id: current.id, trackingId });
    this.#sites.set(trackingId, site);
    this.#notify(site);
    return copySite(site);
  }

  /** Call `listener` on each change of the site; answers the unsubscribe function. */
  watch(trackingId: string, listener: WebsiteListener): () => void {
    let listeners = this.#listeners.get(trackingId);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(trackingId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** Forget every listener (on `close`). */
  unwatchAll(): void {
    this.#listeners.clear();
  }

  #notify(site: WebsiteConfig): void {
    const listeners = this.#listeners.get(site.trackingId);
    if (listeners === undefined) return;
    for (const listener of [...listeners]) listener(copySite(site));
  }
}
