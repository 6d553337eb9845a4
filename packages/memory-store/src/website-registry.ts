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
/** Sites asked for but not yet holding an event that are kept (the least recently asked go first). */
const MAX_PROVISIONAL = 1000;

/**
 * Sites by trackingId, with listeners told of every change (the `watchWebsite` capability). With
 * `autoCreateWebsites`, a site asked for is provisional until the store holds an event of it: a
 * read of a mistyped id, or a bot's event the pipeline then drops, must not add a site to every
 * site list for good (nor use up the `MAX_AUTO_CREATED_WEBSITES`).
 */
export class WebsiteRegistry {
  readonly #sites = new Map<string, WebsiteConfig>();
  /** Created on first use, no event stored yet: by trackingId, least recently asked first. */
  readonly #provisional = new Map<string, WebsiteConfig>();
  /** trackingId of each provisional site, by website id (what stored events name). */
  readonly #provisionalIds = new Map<string, string>();
  readonly #listeners = new Map<string, Set<WebsiteListener>>();
  readonly #autoCreate: boolean;
  /** Whether the store holds events of a website id (events read back from logs, say). */
  readonly #holdsEvents: (websiteId: string) => boolean;
  #autoCreated = 0;

  constructor(
    inputs: readonly WebsiteInput[],
    autoCreate: boolean,
    holdsEvents: (websiteId: string) => boolean = () => false,
  ) {
    this.#autoCreate = autoCreate;
    this.#holdsEvents = holdsEvents;
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
    if (!this.#autoCreate || !AUTO_TRACKING_ID.test(trackingId)) return null;
    // Bounded: any client can send any trackingId, and each would otherwise become a site.
    if (this.#autoCreated >= MAX_AUTO_CREATED_WEBSITES) return null;
    site = websiteFromInput({ trackingId });
    if (this.#holdsEvents(site.id)) this.#keep(site);
    else this.#hold(site);
    return copySite(site);
  }

  /** Stored events of `websiteId` (`EventRecord.website`): its provisional site becomes a site. */
  confirm(websiteId: string): void {
    if (this.#provisionalIds.size === 0) return;
    const trackingId = this.#provisionalIds.get(websiteId);
    const site = trackingId === undefined ? undefined : this.#provisional.get(trackingId);
    if (site !== undefined) this.#keep(site);
  }

  #hold(site: WebsiteConfig): void {
    if (this.#provisional.size >= MAX_PROVISIONAL) {
      const [oldest] = this.#provisional.values();
      if (oldest !== undefined) this.#drop(oldest);
    }
    this.#provisional.set(site.trackingId, site);
    this.#provisionalIds.set(site.id, site.trackingId);
  }

  #drop(site: WebsiteConfig): void {
    this.#provisional.delete(site.trackingId);
    this.#provisionalIds.delete(site.id);
  }

  /** A site created on first use that now holds events: listed, and counted against the cap. */
  #keep(site: WebsiteConfig): void {
    this.#drop(site);
    this.#autoCreated += 1;
    this.#sites.set(site.trackingId, site);
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
    const provisional = this.#provisional.get(site.trackingId);
    if (provisional !== undefined) this.#drop(provisional);
    this.#sites.set(site.trackingId, site);
    this.#notify(site);
    return copySite(site);
  }

  /** Change fields of a registered site; watchers get the new config. */
  update(trackingId: string, patch: WebsitePatch): WebsiteConfig {
    const provisional = this.#provisional.get(trackingId);
    if (provisional !== undefined) this.#keep(provisional);
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
