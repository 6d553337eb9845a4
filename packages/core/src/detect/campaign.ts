import { cut } from './cut.ts';

/** Ad-platform click ids read from the landing URL. */
export type ClickIdName =
  | 'gclid'
  | 'gbraid'
  | 'wbraid'
  | 'dclid'
  | 'fbclid'
  | 'msclkid'
  | 'ttclid'
  | 'twclid'
  | 'li_fat_id'
  | 'yclid';

/** UTM parameters ('' when absent) and click ids (only those present) of a landing URL. */
export interface Campaign {
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  utmTerm: string;
  utmContent: string;
  clickIds: Partial<Record<ClickIdName, string>>;
}

/** Stored campaign values are cut to this many characters. */
export const CAMPAIGN_VALUE_MAX = 255;

type UtmField = Exclude<keyof Campaign, 'clickIds'>;

// A Map, not an object literal: a `?constructor=x` key must not find Object.prototype's members.
const utmFields: ReadonlyMap<string, UtmField> = new Map<string, UtmField>([
  ['utm_source', 'utmSource'],
  ['utm_medium', 'utmMedium'],
  ['utm_campaign', 'utmCampaign'],
  ['utm_term', 'utmTerm'],
  ['utm_content', 'utmContent'],
]);

const clickIdNames: ReadonlySet<string> = new Set<ClickIdName>([
  'gclid',
  'gbraid',
  'wbraid',
  'dclid',
  'fbclid',
  'msclkid',
  'ttclid',
  'twclid',
  'li_fat_id',
  'yclid',
]);

/** Shared answer for URLs without a query (the common case): frozen, so no caller can taint it. */
const noCampaign: Campaign = Object.freeze({
  utmSource: '',
  utmMedium: '',
  utmCampaign: '',
  utmTerm: '',
  utmContent: '',
  clickIds: Object.freeze({}),
});

/**
 * Reads UTM parameters and click ids from a landing URL. Keys match case-insensitively
 * (`UTM_Source` counts), the first non-empty value of a key wins, values are trimmed and cut to
 * 255 characters. A URL without a query string costs one property read and answers a shared,
 * frozen object.
 *
 * @example
 * extractCampaign(new URL('https://shop.example/?utm_source=news&gclid=abc'));
 * // → { utmSource: 'news', utmMedium: '', …, clickIds: { gclid: 'abc' } }
 */
export function extractCampaign(url: URL): Campaign {
  if (url.search.length < 2) return noCampaign;
  const campaign: Campaign = {
    utmSource: '',
    utmMedium: '',
    utmCampaign: '',
    utmTerm: '',
    utmContent: '',
    clickIds: {},
  };
  let found = false;
  for (const [rawKey, rawValue] of url.searchParams) {
    const key = rawKey.toLowerCase();
    const utm = utmFields.get(key);
    if (utm === undefined && !clickIdNames.has(key)) continue;
    const value = cut(rawValue.trim(), CAMPAIGN_VALUE_MAX);
    if (value === '') continue;
    if (utm !== undefined) {
      if (campaign[utm] === '') campaign[utm] = value;
    } else {
      const name = key as ClickIdName;
      campaign.clickIds[name] ??= value;
    }
    found = true;
  }
  return found ? campaign : noCampaign;
}
