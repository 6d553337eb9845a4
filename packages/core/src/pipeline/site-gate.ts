import { SkoposError } from '../errors.ts';
import type { DropInfo } from './drops.ts';
import { DropDetail } from './drops.ts';
import type { CompiledSite, SiteCache } from './site-cache.ts';
import type { DropReason, TrackResult } from './types.ts';

type Failure = Extract<TrackResult, { ok: false }>;

interface SiteGateDeps {
  sites: SiteCache;
  /** The store's name, for the error when it cannot be read. */
  storeName: string;
  fail(reason: DropReason, message: string, info: DropInfo): Failure;
  /** Counts a drop against a known site (website record id), for the dashboard's drops of a range. */
  siteDropped(website: string, reason: DropReason, now: number): void;
}

/**
 * The first check of every call: the site it names, from the site cache, refused when unknown or
 * archived. Synchronous on a cache hit (the hot path); a store that cannot be read throws
 * `store_failed` (the transports answer 503, nothing is dropped).
 */
export function createSiteGate(deps: SiteGateDeps) {
  const { sites, storeName, fail, siteDropped } = deps;

  function storeFailed(siteId: string, cause: unknown): SkoposError {
    return new SkoposError(
      'store_failed',
      `[skopos/core] could not read website "${siteId}" from the ${storeName} store`,
      { cause },
    );
  }

  function checkSite(
    siteId: string,
    site: CompiledSite | null,
    eventType: string | undefined,
    now: number,
  ): CompiledSite | Failure {
    if (!site) {
      return fail(
        'unknown_site',
        `Website ${siteId} not found: create a websites record with this trackingId`,
        {
          detail: DropDetail.unknownSite(siteId),
          kind: 'unknown_site',
          site: siteId,
          eventType,
        },
      );
    }
    if (site.config.isArchived) {
      siteDropped(site.config.id, 'archived', now);
      return fail('archived', `Website ${siteId} is archived`, {
        detail: DropDetail.archived(siteId),
        kind: 'archived',
        site: siteId,
        eventType,
      });
    }
    return site;
  }

  return function loadSite(
    siteId: string,
    now: number,
    eventType?: string,
  ): CompiledSite | Failure | Promise<CompiledSite | Failure> {
    let cached: ReturnType<SiteCache['get']>;
    try {
      cached = sites.get(siteId, now);
    } catch (cause) {
      throw storeFailed(siteId, cause);
    }
    if (!(cached instanceof Promise)) return checkSite(siteId, cached, eventType, now);
    return cached.then(
      (site) => checkSite(siteId, site, eventType, now),
      (cause: unknown) => {
        throw storeFailed(siteId, cause);
      },
    );
  };
}
