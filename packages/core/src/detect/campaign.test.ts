import { describe, expect, it } from 'vitest';
import { extractCampaign } from './campaign.ts';

describe('extractCampaign', () => {
  it('reads the five UTM parameters and known click ids', () => {
    const url = new URL(
      'https://shop.example/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale' +
        '&utm_term=shoes&utm_content=hero&gclid=Cj0KCQ&fbclid=IwAR3&msclkid=abc&li_fat_id=li1&ref=x',
    );
    expect(extractCampaign(url)).toEqual({
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: 'spring sale',
      utmTerm: 'shoes',
      utmContent: 'hero',
      clickIds: { gclid: 'Cj0KCQ', fbclid: 'IwAR3', msclkid: 'abc', li_fat_id: 'li1' },
    });
  });

  it('answers empty fields and no click ids without a query string', () => {
    expect(extractCampaign(new URL('https://shop.example/landing#utm_source=hash'))).toEqual({
      utmSource: '',
      utmMedium: '',
      utmCampaign: '',
      utmTerm: '',
      utmContent: '',
      clickIds: {},
    });
    expect(extractCampaign(new URL('https://shop.example/?')).utmSource).toBe('');
    expect(extractCampaign(new URL('https://shop.example/?page=2')).clickIds).toEqual({});
  });

  it('trims, cuts to 255 characters, and ignores empty values', () => {
    const long = 'a'.repeat(300);
    const campaign = extractCampaign(
      new URL(
        `https://x.example/?utm_source=%20%20google%20&utm_medium=&utm_medium=cpc&utm_campaign=${long}&gclid=`,
      ),
    );
    expect(campaign.utmSource).toBe('google');
    expect(campaign.utmMedium).toBe('cpc');
    expect(campaign.utmCampaign).toBe('a'.repeat(255));
    expect(campaign.clickIds).toEqual({});
  });

  it('does not split an emoji at the 255 limit', () => {
    const value = `${'a'.repeat(254)}😀`;
    expect(extractCampaign(new URL(`https://x.example/?utm_source=${value}`)).utmSource).toBe(
      'a'.repeat(254),
    );
  });

  it('matches keys case-insensitively, keeps the first value, and ignores prototype keys', () => {
    const campaign = extractCampaign(
      new URL('https://x.example/?UTM_Source=First&utm_source=second&constructor=1&__proto__=2&TTCLID=t'),
    );
    expect(campaign.utmSource).toBe('First');
    expect(campaign.clickIds).toEqual({ ttclid: 't' });
  });
});
