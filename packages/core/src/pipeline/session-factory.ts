import type { UaInfo } from '../detect/index.ts';
import { extractCampaign, referrerDomain } from '../detect/index.ts';
import type { GeoResult } from '../geo/geo-lookup.ts';
import type { SessionRecord } from '../model/records.ts';
import { newId } from '../util/ids.ts';

export interface NewSessionFacts {
  website: string;
  visitor: string;
  isNewVisitor: boolean;
  now: number;
  path: string;
  /** The landing page (UTM and click ids are read from it); absent for server and monitor events. */
  url?: URL | undefined;
  /** Where a monitor event's campaign is read: its route's query (its host is not the page's). */
  routeQuery?: URL | undefined;
  /** The page's hostname ('' when unknown): a referrer on it (or a subdomain) is navigation, not a source. */
  hostname: string;
  referrer: string;
  screenWidth: number;
  screenHeight: number;
  language: string;
  ua: UaInfo;
  geo: GeoResult | null;
  /** Set only when the site has `storeRawIp`. */
  ipAddress?: string | undefined;
}

/** A fresh session row; `applyActivity` then counts its first event. */
export function newSession(facts: NewSessionFacts): SessionRecord {
  const landing = facts.url ?? facts.routeQuery;
  const campaign = landing ? extractCampaign(landing) : undefined;
  // A referrer from the site itself is navigation, not a source.
  const host = facts.url?.hostname ?? facts.hostname;
  const selfReferral = host !== '' && referrerDomain(facts.referrer, host) === '';
  const session: SessionRecord = {
    id: newId(),
    website: facts.website,
    visitor: facts.visitor,
    browser: facts.ua.browser,
    os: facts.ua.os,
    device: facts.ua.device,
    screenWidth: facts.screenWidth,
    screenHeight: facts.screenHeight,
    language: facts.language,
    entryPath: facts.path,
    exitPath: facts.path,
    referrer: selfReferral ? '' : facts.referrer,
    utmSource: campaign?.utmSource ?? '',
    utmMedium: campaign?.utmMedium ?? '',
    utmCampaign: campaign?.utmCampaign ?? '',
    country: facts.geo?.country ?? '',
    state: facts.geo?.region ?? '',
    isNewVisitor: facts.isNewVisitor,
    eventCount: 0,
    pageViews: 0,
    isEngaged: false,
    startedAt: facts.now,
    lastActivityAt: facts.now,
    duration: 0,
  };
  if (facts.ipAddress) session.ipAddress = facts.ipAddress;
  return session;
}
