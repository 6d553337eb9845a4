import type { WebsiteConfig } from '@skopos/core';
import { SkoposError } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { websiteFromRow } from './record-mapping.ts';
import { findWebsite } from './watch-website.ts';

/** A website to create: `trackingId` is required; everything else has the permissive defaults. */
export type WebsiteInput = Partial<Omit<WebsiteConfig, 'trackingId'>> & {
  trackingId: string;
  /** A `users` record id: that user may read the site through the PocketBase API. */
  owner?: string;
};

/** The fields of a website that may change (the id and trackingId stay). */
export type WebsitePatch = Partial<Omit<WebsiteConfig, 'id' | 'trackingId'>>;

export async function createWebsite(ctx: StoreContext, input: WebsiteInput): Promise<WebsiteConfig> {
  const body = {
    name: input.trackingId,
    domain: '',
    disableLocalhostTracking: false,
    isArchived: false,
    ipBlacklist: [],
    storeRawIp: false,
    discardShortSessions: false,
    dataRetentionDays: 0,
    ...input,
  };
  const row = await ctx.auth.call(() => ctx.pb.collection('websites').create(body));
  return websiteFromRow(row);
}

export async function updateWebsite(
  ctx: StoreContext,
  trackingId: string,
  patch: WebsitePatch,
): Promise<WebsiteConfig> {
  const site = await findWebsite(ctx, trackingId);
  if (site === null) {
    throw new SkoposError(
      'website_not_found',
      `[skopos/pocketbase] Website ${trackingId} not found: create it first (createWebsite or the PocketBase admin UI).`,
    );
  }
  const {
    id: _id,
    trackingId: _trackingId,
    ...fields
  } = patch as WebsitePatch & { id?: string; trackingId?: string };
  const row = await ctx.auth.call(() => ctx.pb.collection('websites').update(site.id, fields));
  return websiteFromRow(row);
}

/** PocketBase answers at most this many rows per page. */
const LIST_PAGE = 500;

/** Up to `limit` websites sorted by trackingId, a page at a time. */
export async function listWebsites(ctx: StoreContext, limit: number): Promise<WebsiteConfig[]> {
  const sites: WebsiteConfig[] = [];
  for (let page = 1; sites.length < limit; page++) {
    const perPage = Math.min(LIST_PAGE, limit - sites.length);
    const rows = await ctx.auth.call(() =>
      ctx.pb.collection('websites').getList(page, perPage, { sort: 'trackingId', skipTotal: true }),
    );
    sites.push(...rows.items.map((row) => websiteFromRow(row)));
    if (rows.items.length < perPage) break;
  }
  return sites;
}
