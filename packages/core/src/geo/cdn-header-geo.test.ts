import { describe, expect, it } from 'vitest';
import { SkoposError } from '../errors.ts';
import type { CdnProvider } from './cdn-header-geo.ts';
import { cdnHeaderGeo } from './cdn-header-geo.ts';

const geo = cdnHeaderGeo();
const lookup = (headers: Record<string, string>) => geo.lookup('203.0.113.9', headers);
const netlifyHeader = (value: unknown) => btoa(JSON.stringify(value));

describe('cdnHeaderGeo', () => {
  it.each([
    ['Cloudflare', { 'cf-ipcountry': 'DE', 'cf-region-code': 'BE' }, { country: 'DE', region: 'BE' }],
    [
      'Cloudflare (region name only)',
      { 'cf-ipcountry': 'US', 'cf-region': 'California' },
      { country: 'US', region: 'California' },
    ],
    [
      'Vercel',
      { 'x-vercel-ip-country': 'FR', 'x-vercel-ip-country-region': 'IDF' },
      { country: 'FR', region: 'IDF' },
    ],
    [
      'CloudFront',
      { 'cloudfront-viewer-country': 'JP', 'cloudfront-viewer-country-region': '13' },
      { country: 'JP', region: '13' },
    ],
    [
      'App Engine (lower-case region)',
      { 'x-appengine-country': 'US', 'x-appengine-region': 'ca' },
      { country: 'US', region: 'CA' },
    ],
    [
      'Akamai',
      { 'x-akamai-edgescape': 'georegion=246,country_code=GB,region_code=EN,city=LONDON' },
      { country: 'GB', region: 'EN' },
    ],
    [
      'Netlify',
      {
        'x-nf-geo': netlifyHeader({
          city: 'Zürich',
          country: { code: 'CH', name: 'Switzerland' },
          subdivision: { code: 'ZH' },
        }),
      },
      { country: 'CH', region: 'ZH' },
    ],
    ['a country without a region', { 'cf-ipcountry': 'nl' }, { country: 'NL', region: '' }],
  ])('reads %s headers', (_name, headers, expected) => {
    expect(lookup(headers)).toEqual(expected);
  });

  it('reads Fetch Headers too', () => {
    expect(geo.lookup('', new Headers({ 'CF-IPCountry': 'IT' }))).toEqual({ country: 'IT', region: '' });
  });

  it.each(['XX', 'T1', 'ZZ', '', 'unknown', 'USA', 'U1', ' '])(
    'ignores the placeholder country %j',
    (value) => {
      expect(lookup({ 'cf-ipcountry': value, 'cf-region-code': 'CA' })).toBeNull();
    },
  );

  it('falls through a placeholder to the next provider', () => {
    expect(
      lookup({ 'cf-ipcountry': 'XX', 'x-vercel-ip-country': 'SE', 'x-vercel-ip-country-region': 'AB' }),
    ).toEqual({
      country: 'SE',
      region: 'AB',
    });
  });

  it('answers null with no CDN headers, and for a malformed Netlify header', () => {
    expect(lookup({ 'user-agent': 'x' })).toBeNull();
    expect(lookup({ 'x-nf-geo': '%%%not base64' })).toBeNull();
    expect(lookup({ 'x-nf-geo': btoa('{"country":"US"}') })).toBeNull();
  });

  it('trusts only the providers it is given, in their order', () => {
    const headers = { 'cf-ipcountry': 'DE', 'x-vercel-ip-country': 'FR' };
    expect(cdnHeaderGeo({ providers: ['vercel'] }).lookup('', headers)).toEqual({
      country: 'FR',
      region: '',
    });
    expect(cdnHeaderGeo({ providers: ['vercel', 'cloudflare'] }).lookup('', headers)).toEqual({
      country: 'FR',
      region: '',
    });
    expect(cdnHeaderGeo({ providers: ['netlify'] }).lookup('', headers)).toBeNull();
  });

  it('rejects an unknown provider', () => {
    expect(() => cdnHeaderGeo({ providers: ['fastly' as CdnProvider] })).toThrow(SkoposError);
  });
});
