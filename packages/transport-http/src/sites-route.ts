import type { WebsiteConfig } from '@skopos/core';
import type { HandlerContext } from './handler-context.ts';
import { json } from './responses.ts';

/** The most sites one answer lists: a picker with more is not one a person can use. */
export const MAX_LISTED_SITES = 1000;

/** What a reader of the dashboard may see of a site: never its IP block list or retention rules. */
export interface SiteSummary {
  trackingId: string;
  name: string;
  domain: string;
  archived: boolean;
}

/** `GET {base}/sites` → `{ sites: SiteSummary[], listed, truncated? }`. */
export interface SitesAnswer {
  sites: SiteSummary[];
  /** `false` when the store cannot list its websites: `sites` then has the handler's own site at most. */
  listed: boolean;
  /** Present when more than `MAX_LISTED_SITES` exist. */
  truncated?: true;
}

const summary = (site: WebsiteConfig): SiteSummary => ({
  trackingId: site.trackingId,
  name: site.name,
  domain: site.domain,
  archived: site.isArchived,
});

/**
 * The sites a reader can pick in the dashboard. A handler bound to one site (`siteId`) answers
 * that site only, as its reads do. Store failures go to `onFailure` (the read routes' 503).
 */
export async function handleSites(
  ctx: HandlerContext,
  onFailure: (error: unknown) => Response,
): Promise<Response> {
  try {
    if (ctx.siteId !== undefined) {
      const site = await ctx.skopos.getWebsite(ctx.siteId);
      return json(200, { sites: site ? [summary(site)] : [], listed: true } satisfies SitesAnswer);
    }
    const sites = await ctx.skopos.listWebsites(MAX_LISTED_SITES + 1);
    if (sites === null) return json(200, { sites: [], listed: false } satisfies SitesAnswer);
    const answer: SitesAnswer = { sites: sites.slice(0, MAX_LISTED_SITES).map(summary), listed: true };
    if (sites.length > MAX_LISTED_SITES) answer.truncated = true;
    return json(200, answer);
  } catch (error) {
    return onFailure(error);
  }
}
