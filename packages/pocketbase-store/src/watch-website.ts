import type { WebsiteConfig, WebsiteListener } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { statusOf } from './errors.ts';
import type { RealtimeClient } from './realtime-client.ts';
import { type Row, websiteFromRow } from './record-mapping.ts';

/** The `websites` row of a trackingId, or null. */
export async function findWebsite(ctx: StoreContext, trackingId: string): Promise<WebsiteConfig | null> {
  const found = await lookup(ctx, trackingId);
  // A revoked token reads as a guest, who sees no websites: make sure "not found" is real.
  if (found === null && (await ctx.auth.verify())) return lookup(ctx, trackingId);
  return found;
}

async function lookup(ctx: StoreContext, trackingId: string): Promise<WebsiteConfig | null> {
  try {
    const row = await ctx.auth.call(() =>
      ctx.pb
        .collection('websites')
        .getFirstListItem(ctx.pb.filter('trackingId = {:trackingId}', { trackingId })),
    );
    return websiteFromRow(row);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw error;
  }
}

/**
 * Push changes of one website (domain, ipBlacklist, isArchived, …) to `listener` through PocketBase
 * realtime; after a lost connection the site is re-read, so a change made meanwhile still arrives.
 */
export async function watchWebsite(
  ctx: StoreContext,
  realtime: RealtimeClient,
  trackingId: string,
  listener: WebsiteListener,
): Promise<() => Promise<void>> {
  const site = await findWebsite(ctx, trackingId);
  if (site === null) {
    ctx.logger.debug('watchWebsite: no such website, nothing to watch', { trackingId });
    return async () => {};
  }
  return realtime.subscribe(`websites/${site.id}`, {
    onMessage(data) {
      const { action, record } = data as { action?: string; record?: Row };
      if (action === 'delete') listener(null);
      else if (record !== undefined) listener(websiteFromRow(record));
    },
    onReconnect() {
      findWebsite(ctx, trackingId).then(listener, (error: unknown) =>
        ctx.logger.warn('could not re-read website after reconnecting', { trackingId, error: String(error) }),
      );
    },
  });
}
