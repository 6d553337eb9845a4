import { idFromKey } from '../util/ids.ts';
import type { WebsiteConfig } from './records.ts';

/** A website as a store's options name it: `trackingId` and any fields to set. */
export type WebsiteInput = Partial<WebsiteConfig> & { trackingId: string };

/**
 * A full site config from `input`, the defaults every built-in store gives: id derived from the
 * trackingId (the same in every process and after restarts, so two stores seeding one site agree),
 * name = trackingId, no domain rule, every drop rule off, data kept forever.
 */
export function websiteFromInput(input: WebsiteInput): WebsiteConfig {
  const { trackingId } = input;
  const site: WebsiteConfig = {
    id: input.id ?? idFromKey(`website:${trackingId}`),
    trackingId,
    name: input.name ?? trackingId,
    domain: input.domain ?? '',
    disableLocalhostTracking: input.disableLocalhostTracking ?? false,
    isArchived: input.isArchived ?? false,
    ipBlacklist: [...(input.ipBlacklist ?? [])],
    storeRawIp: input.storeRawIp ?? false,
    discardShortSessions: input.discardShortSessions ?? false,
    dataRetentionDays: input.dataRetentionDays ?? 0,
  };
  if (input.sdkVersion !== undefined) site.sdkVersion = input.sdkVersion;
  return site;
}
