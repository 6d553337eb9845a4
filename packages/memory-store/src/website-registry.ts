import {
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

/** Tracking ids that `autoCreateWebsites` accepts: short, printable, URL-safe. */
const AUTO_TRACKING_ID = /^[A-Za-z0-9._-]{1,100}$/;
/** At most this many sites are created on first use (`autoCreateWebsites`); later unknown ids are unknown sites. */
export const MAX_AUTO_CREATED_WEBSITES = 1000;

/** Sites by trackingId, with listeners told of every change (the `watchWebsite` capability). */
export class WebsiteRegistry {
  readonly #sites = new Map<string, WebsiteConfig>();
  readonly #listeners = new Map<string, Set<WebsiteListener>>();
  readonly #autoCreate: boolean;
  #autoCreated = 0;

  constructor(inputs: readonly WebsiteInput[], autoCreate: boolean) {
    this.#autoCreate = autoCreate;
    for (const input of inputs) this.#sites.set(input.trackingId, websiteFromInput(input));
  }

  /** A copy of the site (callers may keep it), created on first use with `autoCreateWebsites`. */
  get(trackingId: string): WebsiteConfig | null {
    let site = this.#sites.get(trackingId);
    if (site === undefined) {
      if (!this.#autoCreate || !AUTO_TRACKING_ID.test(trackingId)) return null;
      // Bounded: any client can send any trackingId, and each would otherwise become a site.
      if (this.#autoCreated >= MAX_AUTO_CREATED_WEBSITES) return null;
      this.#autoCreated += 1;
      site = websiteFromInput({ trackingId });
      this.#sites.set(trackingId, site);
    }
    return copySite(site);
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
    this.#sites.set(site.trackingId, site);
    this.#notify(site);
    return copySite(site);
  }

  /** Change fields of a registered site; watchers get the new config. */
  update(trackingId: string, patch: WebsitePatch): WebsiteConfig {
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
