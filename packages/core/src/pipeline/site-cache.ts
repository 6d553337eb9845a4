import type { Logger } from '../logger.ts';
import type { WebsiteConfig } from '../model/records.ts';
import { compileDomainRule, compileIpList } from '../net/index.ts';
import type { Store } from '../store/store.ts';
import { LruCache } from '../util/lru.ts';

/** A website with its per-event rules compiled once. */
export interface CompiledSite {
  config: WebsiteConfig;
  matchesHost(hostname: string): boolean;
  isBlacklisted(ip: string): boolean;
}

interface LoadingSite {
  startedAt: number;
  promise: Promise<CompiledSite | null>;
}

interface Entry {
  site: CompiledSite | null;
  loadedAt: number;
  watched: boolean;
}

export interface SiteCacheOptions {
  store: Store;
  logger: Logger;
  /** Re-read interval when the store cannot push changes. */
  refreshMs: number;
  /** How long an unknown trackingId is remembered as unknown (protects the store from random ids). */
  missTtlMs?: number;
  maxSites?: number;
}

export interface SiteCache {
  /** Sync on a cache hit (the hot path). */
  get(trackingId: string, now: number): CompiledSite | null | Promise<CompiledSite | null>;
  /** The cached site, if any, without loading or refreshing it (for attributing refusals). */
  peek(trackingId: string): CompiledSite | undefined;
  close(): Promise<void>;
}

export function compileSite(config: WebsiteConfig, logger: Logger): CompiledSite {
  const ips = compileIpList(config.ipBlacklist);
  if (ips.invalid.length > 0) {
    logger.warn(
      `website "${config.trackingId}" has ipBlacklist entries that are not IPs or CIDR ranges; ignored`,
      {
        invalid: ips.invalid,
      },
    );
  }
  return { config, matchesHost: compileDomainRule(config.domain), isBlacklisted: (ip) => ips.matches(ip) };
}

/**
 * How long a site load may go unanswered before the next request starts another. A Cloudflare
 * Worker never settles the I/O of a request that has ended (a refresh served in the background may
 * be one): without this, such a site would never be read again. A clock check, as timers set by an
 * ended request never fire there either.
 */
const STALLED_LOAD_MS = 30_000;

/**
 * Websites by trackingId, compiled. Uses the store's `watchWebsite` push when it has one, else
 * re-reads each site every `refreshMs` (serving the cached copy meanwhile).
 */
export function createSiteCache(options: SiteCacheOptions): SiteCache {
  const { store, logger, refreshMs } = options;
  const missTtlMs = options.missTtlMs ?? 10_000;
  const entries = new LruCache<string, Entry>(options.maxSites ?? 10_000);
  const loading = new Map<string, LoadingSite>();
  /** Live subscriptions by trackingId; ended when their site leaves the cache. */
  const watching = new Map<string, () => unknown>();
  let closed = false;

  function remember(trackingId: string, entry: Entry): void {
    const evicted = entries.set(trackingId, entry);
    const stop = evicted ? watching.get(evicted[0]) : undefined;
    if (evicted && stop) {
      watching.delete(evicted[0]);
      Promise.resolve()
        .then(stop)
        .catch(() => undefined);
    }
  }

  async function watch(trackingId: string): Promise<boolean> {
    if (!store.watchWebsite) return false;
    try {
      const stop = await store.watchWebsite(trackingId, (config) => {
        remember(trackingId, {
          site: config ? compileSite(config, logger) : null,
          loadedAt: Date.now(),
          watched: true,
        });
        logger.debug(`website "${trackingId}" changed`, { deleted: config === null });
      });
      if (closed) await stop();
      else watching.set(trackingId, stop);
      return true;
    } catch (error) {
      logger.warn(`could not subscribe to website "${trackingId}"; re-reading it every ${refreshMs} ms`, {
        error: String(error),
      });
      return false;
    }
  }

  function load(trackingId: string, now: number): Promise<CompiledSite | null> {
    const earlier = loading.get(trackingId);
    if (earlier && now - earlier.startedAt < STALLED_LOAD_MS) return earlier.promise;
    // Listed before the load starts: a store that throws at once reaches `finally` first.
    const pending = { startedAt: now } as LoadingSite;
    loading.set(trackingId, pending);
    const current = (): boolean => loading.get(trackingId) === pending;
    pending.promise = (async () => {
      try {
        const config = await store.getWebsite(trackingId);
        const site = config ? compileSite(config, logger) : null;
        // A load given up as stalled may still end: the one that replaced it has the newer answer.
        if (!current()) return site;
        // `||`, not `??`: a site first seen as unknown gets its subscription once it exists.
        const watched = watching.has(trackingId) || (site !== null && (await watch(trackingId)));
        if (current()) remember(trackingId, { site, loadedAt: now, watched });
        return site;
      } finally {
        if (current()) loading.delete(trackingId);
      }
    })();
    return pending.promise;
  }

  return {
    get(trackingId, now) {
      // peek: recency bookkeeping per event costs more than the rare reload of an evicted site.
      const entry = entries.peek(trackingId);
      if (!entry) return load(trackingId, now);
      const ttl = entry.site ? refreshMs : missTtlMs;
      if (!entry.watched && now - entry.loadedAt > ttl) {
        // Serve the cached copy; refresh in the background. A failing store keeps the old copy.
        load(trackingId, now).catch((error: unknown) => {
          logger.warn(`could not refresh website "${trackingId}"`, { error: String(error) });
        });
      }
      return entry.site;
    },
    peek(trackingId) {
      return entries.peek(trackingId)?.site ?? undefined;
    },
    async close() {
      closed = true;
      const stops = [...watching.values()];
      watching.clear();
      await Promise.allSettled(stops.map(async (stop) => stop()));
    },
  };
}
