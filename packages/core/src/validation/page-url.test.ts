import { describe, expect, it } from 'vitest';
import { validateEvent, validateEventSharingUrl } from './event.ts';
import { sharedHttpUrl } from './page-url.ts';

const page = { type: 'pageView', url: 'https://user:secret@shop.example/cart?utm_source=mail' };

describe('page URLs', () => {
  it('validateEvent gives every caller its own URL, credentials removed', () => {
    const first = validateEvent(page);
    const second = validateEvent(page);
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(first.value.url).not.toBe(second.value.url);
    first.value.url.pathname = '/changed';
    expect(second.value.url.href).toBe('https://shop.example/cart?utm_source=mail');
  });

  it('the pipeline parses a page once, with the same answers as validateEvent', () => {
    const first = validateEventSharingUrl(page);
    const second = validateEventSharingUrl(page);
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(second.value.url).toBe(first.value.url);
    expect(first.value.url.href).toBe('https://shop.example/cart?utm_source=mail');
    expect(first.value.storedUrl).toBe('https://shop.example/cart?utm_source=mail');
    // A URL that is not http(s) is refused every time, cached or not.
    for (let i = 0; i < 2; i++) {
      expect(validateEventSharingUrl({ type: 'pageView', url: 'ftp://shop.example/' })).toMatchObject({
        ok: false,
        issues: [{ field: 'url', reason: 'must be an http(s) URL' }],
      });
    }
  });

  it('holds a bounded number of URLs, and none of the long ones', () => {
    const long = `https://shop.example/search?q=${'x'.repeat(600)}`;
    expect(sharedHttpUrl(long)).not.toBe(sharedHttpUrl(long));
    const kept = sharedHttpUrl('https://shop.example/kept');
    // Over two generations of other pages: the first one is parsed again.
    for (let i = 0; i < 1100; i++) sharedHttpUrl(`https://shop.example/p/${i}`);
    const again = sharedHttpUrl('https://shop.example/kept');
    expect(again).not.toBe(kept);
    expect(again?.href).toBe('https://shop.example/kept');
    // A page used within the last generation stays.
    expect(sharedHttpUrl('https://shop.example/p/1099')).toBe(sharedHttpUrl('https://shop.example/p/1099'));
  });
});
