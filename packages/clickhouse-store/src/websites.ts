import { SkoposError, type WebsiteConfig, type WebsiteInput, websiteFromInput } from '@skopos/core';
import type { StoreContext } from './context.ts';
import { sqlString, sqlStringList, sqlUInt } from './sql.ts';

/** A website to create: `trackingId` and any fields to set (the rest get permissive defaults). */
export type { WebsiteInput };
/** Fields to change on an existing website. */
export type WebsitePatch = Partial<Omit<WebsiteConfig, 'id' | 'trackingId'>>;

type WebsiteRow = Omit<
  WebsiteConfig,
  'disableLocalhostTracking' | 'isArchived' | 'storeRawIp' | 'discardShortSessions' | 'sdkVersion'
> & {
  disableLocalhostTracking: number;
  isArchived: number;
  storeRawIp: number;
  discardShortSessions: number;
  sdkVersion: string | null;
};

const COLUMNS =
  'id, trackingId, name, domain, disableLocalhostTracking, isArchived, ipBlacklist, storeRawIp, ' +
  'discardShortSessions, dataRetentionDays, sdkVersion';

function fromRow(row: WebsiteRow): WebsiteConfig {
  const { sdkVersion, ...rest } = row;
  const site: WebsiteConfig = {
    ...rest,
    disableLocalhostTracking: row.disableLocalhostTracking === 1,
    isArchived: row.isArchived === 1,
    storeRawIp: row.storeRawIp === 1,
    discardShortSessions: row.discardShortSessions === 1,
  };
  if (sdkVersion !== null) site.sdkVersion = sdkVersion;
  return site;
}

/** Field by field: a field a later core adds to `WebsiteConfig` must not break the INSERT. */
function toRow(site: WebsiteConfig, written: number): WebsiteRow & { written: number } {
  return {
    id: site.id,
    trackingId: site.trackingId,
    name: site.name,
    domain: site.domain,
    ipBlacklist: site.ipBlacklist,
    dataRetentionDays: site.dataRetentionDays,
    disableLocalhostTracking: site.disableLocalhostTracking ? 1 : 0,
    isArchived: site.isArchived ? 1 : 0,
    storeRawIp: site.storeRawIp ? 1 : 0,
    discardShortSessions: site.discardShortSessions ? 1 : 0,
    sdkVersion: site.sdkVersion ?? null,
    written,
  };
}

async function select(ctx: StoreContext, tail: string): Promise<WebsiteConfig[]> {
  const rows = await ctx.http.select<WebsiteRow>(
    `SELECT ${COLUMNS} FROM ${ctx.table('websites')} FINAL ${tail}`,
    'SELECT websites',
  );
  return rows.map(fromRow);
}

export async function getWebsite(ctx: StoreContext, trackingId: string): Promise<WebsiteConfig | null> {
  const [site] = await select(ctx, `WHERE trackingId = ${sqlString(trackingId)} LIMIT 1`);
  return site ?? null;
}

export function listWebsites(ctx: StoreContext, limit: number): Promise<WebsiteConfig[]> {
  const count = Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
  return select(ctx, `ORDER BY trackingId LIMIT ${sqlUInt(Math.min(count, 100_000))}`);
}

/** Write the whole config of each site (the newest write of a trackingId wins). */
export async function putWebsites(ctx: StoreContext, sites: readonly WebsiteConfig[]): Promise<void> {
  await ctx.http.insert(
    ctx.table('websites'),
    sites.map((site) => toRow(site, ctx.written())),
  );
}

/** Create the sites whose trackingId is not stored yet; stored ones keep their current config. */
export async function seedWebsites(ctx: StoreContext, inputs: readonly WebsiteInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const ids = inputs.map((input) => input.trackingId);
  const stored = await ctx.http.select<{ trackingId: string }>(
    `SELECT DISTINCT trackingId FROM ${ctx.table('websites')} WHERE trackingId IN ${sqlStringList(ids)}`,
    'SELECT websites',
  );
  const known = new Set(stored.map((row) => row.trackingId));
  await putWebsites(ctx, inputs.filter((input) => !known.has(input.trackingId)).map(websiteFromInput));
}

export async function updateWebsite(
  ctx: StoreContext,
  trackingId: string,
  patch: WebsitePatch,
): Promise<WebsiteConfig> {
  const current = await getWebsite(ctx, trackingId);
  if (current === null) {
    throw new SkoposError(
      'website_not_found',
      `[skopos/clickhouse] updateWebsite: no website with trackingId ${JSON.stringify(trackingId)}; create it with addWebsite() first`,
    );
  }
  const site = websiteFromInput({ ...current, ...patch, id: current.id, trackingId });
  await putWebsites(ctx, [site]);
  return site;
}
