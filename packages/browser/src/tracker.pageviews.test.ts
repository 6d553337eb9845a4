// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/landing?utm_source=news&utm_campaign=spring&gclid=abc&q=shoes#top"}
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Network, pageTransition, stubNetwork } from './test-support.ts';
import { createTracker } from './tracker.ts';
import type { Tracker } from './types.ts';

let network: Network;
let tracker: Tracker | undefined;

const start = (options: Parameters<typeof createTracker>[0] = {}): Tracker => {
  tracker = createTracker({ site: 'shop', batchSize: 1, ...options });
  return tracker;
};
const pageViews = () =>
  network
    .events()
    .filter((event) => event.type === 'pageView')
    .map((event) => event.url);

beforeEach(() => {
  history.replaceState(null, '', '/landing?utm_source=news&utm_campaign=spring&gclid=abc&q=shoes#top');
  network = stubNetwork();
});
afterEach(() => {
  tracker?.stop();
  tracker = undefined;
});

describe('page views', () => {
  it('counts the landing page once, with the seed 000 payload, siteId and a random eventId', () => {
    start();
    const [event, ...rest] = network.events();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'pageView',
      siteId: 'shop',
      url: 'https://shop.example.com/landing?utm_source=news&utm_campaign=spring&gclid=abc&q=shoes',
      referrer: document.referrer,
      screenWidth: screen.width,
      screenHeight: screen.height,
      language: navigator.language,
    });
    expect(event?.eventId).toMatch(/^[0-9]+(-[0-9]+){3}$/);
  });

  it('counts pushState and popstate navigations but never the same URL twice in a row', () => {
    start();
    history.pushState(null, '', '/products');
    history.replaceState({ scroll: 120 }, '', '/products');
    history.pushState(null, '', '/products#reviews');
    history.pushState(null, '', '/cart');
    history.replaceState(null, '', '/cart/checkout');
    history.replaceState(null, '', '/products');
    window.dispatchEvent(new PopStateEvent('popstate'));
    expect(pageViews().map((url) => new URL(url as string).pathname)).toEqual([
      '/landing',
      '/products',
      '/cart',
      '/cart/checkout',
      '/products',
    ]);
  });

  it('keeps the landing campaign parameters on later pages, without overriding new ones', () => {
    start();
    history.pushState(null, '', '/products?utm_source=mail&page=2');
    const url = new URL(pageViews()[1] as string);
    expect(url.searchParams.get('utm_source')).toBe('mail');
    expect(url.searchParams.get('utm_campaign')).toBe('spring');
    expect(url.searchParams.get('gclid')).toBe('abc');
    expect(url.searchParams.get('page')).toBe('2');
    // Other landing parameters are the landing page's own, not a campaign.
    expect(url.searchParams.has('q')).toBe(false);
  });

  it('counts a back-forward cache restore as a new view, and an ordinary pageshow not', () => {
    start();
    window.dispatchEvent(pageTransition('pageshow', false));
    window.dispatchEvent(pageTransition('pagehide', true));
    window.dispatchEvent(pageTransition('pageshow', true));
    expect(pageViews()).toHaveLength(2);
  });

  it('in hash mode counts #/routes as pages and keeps the hash in URLs', () => {
    start({ hashMode: true });
    history.pushState(null, '', '#/settings');
    history.pushState(null, '', '#/settings');
    expect(pageViews().map((url) => new URL(url as string).hash)).toEqual(['#top', '#/settings']);
  });

  it('without hash mode drops hashes, which may carry tokens', () => {
    start();
    history.pushState(null, '', '/callback#access_token=secret');
    expect(pageViews().map((url) => new URL(url as string).pathname)).toEqual(['/landing', '/callback']);
    expect(network.requests.map((request) => request.body).join('')).not.toContain('secret');
  });

  it('with manual set, sends page views only when asked, even for the same URL', () => {
    const manual = start({ manual: true });
    history.pushState(null, '', '/products');
    expect(pageViews()).toEqual([]);
    manual.pageview();
    manual.pageview();
    expect(pageViews()).toHaveLength(2);
  });

  it('tracks custom events with their data, cutting names to the server limit', () => {
    const skopos = start();
    skopos.track('signup', { plan: 'pro' });
    skopos.track('x'.repeat(300));
    const [signup, long] = network.events().filter((event) => event.type === 'custom');
    expect(signup).toMatchObject({ name: 'signup', customData: { plan: 'pro' }, url: pageViews()[0] });
    expect(long?.name).toHaveLength(255);
  });

  it('sends nothing once stopped', () => {
    const skopos = start();
    skopos.stop();
    const before = network.events().length;
    skopos.track('late');
    history.pushState(null, '', '/after-stop');
    expect(network.events()).toHaveLength(before);
  });
});
