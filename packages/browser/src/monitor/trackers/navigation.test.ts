// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/products?page=2"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitorEmit } from '../types.ts';
import { setupNavigationTracker } from './navigation.ts';

const KEY = '__tracker_mpa_from__';
let events: [string, string, Record<string, unknown>][] = [];
const emit: MonitorEmit = (type, level, payload) => events.push([type, level, payload]);
const context = { ignoreRoutes: ['/_dashboard'], ownEndpoints: [] };
let stop = () => {};
let clock = 0;

const payloads = () => events.map(([, , p]) => p);
/** A link click that the "SPA router" keeps from navigating the test page away. */
const followLink = (html: string) => {
  document.body.innerHTML = html;
  const link = document.querySelector('a') as Element;
  link.addEventListener('click', (e) => e.preventDefault());
  link.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
};

beforeEach(() => {
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
});
afterEach(() => {
  stop();
  events = [];
  clock = 0;
  sessionStorage.clear();
  history.replaceState(null, '', '/products?page=2');
  vi.restoreAllMocks();
});

describe('navigation tracker (vite-plugin-monitor `track.navigation`)', () => {
  it('sends the page load at once, then each SPA route change with the time spent on the previous route', () => {
    stop = setupNavigationTracker(emit, true, context);
    clock = 1500;
    history.pushState(null, '', '/products/42');
    clock = 1600;
    history.replaceState(null, '', '/products/42?tab=reviews');
    clock = 4000;
    history.replaceState(null, '', '/checkout');
    window.dispatchEvent(new PopStateEvent('popstate'));
    history.replaceState(null, '', '/checkout?step=2#pay');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(events.every(([type, level]) => type === 'navigation' && level === 'info')).toBe(true);
    expect(payloads()).toEqual([
      { from: '/products?page=2', to: '/products?page=2', trigger: 'load', duration: 0 },
      { from: '/products?page=2', to: '/products/42', trigger: 'pushState', duration: 1500 },
      { from: '/products/42', to: '/products/42?tab=reviews', trigger: 'replaceState', duration: 100 },
      { from: '/products/42?tab=reviews', to: '/checkout', trigger: 'replaceState', duration: 2400 },
      { from: '/checkout', to: '/checkout', trigger: 'popstate', duration: 0 },
      { from: '/checkout', to: '/checkout?step=2', trigger: 'replaceState', duration: 0 },
      // vite-plugin-monitor: a hash change's `to` is pathname + hash, without the search.
      { from: '/checkout?step=2', to: '/checkout#pay', trigger: 'hashchange', duration: 0 },
    ]);
  });

  it('skips a push or replace to the same route, but keeps timing from it', () => {
    stop = setupNavigationTracker(emit, true, context);
    clock = 1000;
    history.pushState({ state: 1 }, '', '/products?page=2');
    clock = 3000;
    history.pushState(null, '', '/cart');
    expect(payloads().slice(1)).toEqual([
      { from: '/products?page=2', to: '/cart', trigger: 'pushState', duration: 2000 },
    ]);
  });

  it('skips ignored routes at either end, the dashboard prefix, and ignored triggers (never the load)', () => {
    history.replaceState(null, '', '/admin');
    stop = setupNavigationTracker(
      emit,
      { ignoreRoutes: ['/admin', /^\/user\/\d+/], ignoreTypes: ['replaceState', 'hashchange'] },
      context,
    );
    for (const path of ['/home', '/user/7', '/about', '/admin/tools', '/_dashboard/events', '/shop']) {
      history.pushState(null, '', path);
    }
    history.replaceState(null, '', '/contact');
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    window.dispatchEvent(new PopStateEvent('popstate'));
    // The load itself left `/admin`; `/admin/tools` is not `/admin` (strings match by equality).
    expect(payloads().map(({ from, to, trigger }) => `${from}→${to} ${trigger}`)).toEqual([
      '/about→/admin/tools pushState',
      '/contact→/contact popstate',
    ]);
  });

  it("takes the load's `from` from the route a same-origin link left, then the referrer", () => {
    sessionStorage.setItem(KEY, '/cart?coupon=1');
    stop = setupNavigationTracker(emit, true, context);
    expect(payloads()).toEqual([
      { from: '/cart?coupon=1', to: '/products?page=2', trigger: 'load', duration: 0 },
    ]);
    expect(sessionStorage.getItem(KEY)).toBeNull();

    for (const html of [
      '<a href="https://elsewhere.example.org/">external</a>',
      '<a href="#reviews">anchor</a>',
      '<a href="/help" target="_blank">new tab</a>',
      '<a href="mailto:help@example.com">mail</a>',
    ]) {
      followLink(html);
    }
    expect(sessionStorage.getItem(KEY)).toBeNull();
    followLink('<a href="/orders"><span>same origin</span></a>');
    expect(sessionStorage.getItem(KEY)).toBe('/products?page=2');
    // The SPA handled that link itself: a later reload must not take the saved route as its `from`.
    history.pushState(null, '', '/orders');
    expect(sessionStorage.getItem(KEY)).toBeNull();
    stop();

    events = [];
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://shop.example.com/search?q=shoes');
    setupNavigationTracker(emit, true, context)();
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://www.google.com/search?q=shoes');
    setupNavigationTracker(emit, true, context)();
    expect(payloads().map((p) => p.from)).toEqual(['/search?q=shoes', 'https://www.google.com']);
  });

  it('restores history and removes its listeners when torn down', () => {
    const { pushState, replaceState } = history;
    setupNavigationTracker(emit, true, context)();
    expect([history.pushState, history.replaceState]).toEqual([pushState, replaceState]);
    events = [];
    history.pushState(null, '', '/later');
    window.dispatchEvent(new PopStateEvent('popstate'));
    followLink('<a href="/orders">same origin</a>');
    expect(events).toEqual([]);
    expect(sessionStorage.getItem(KEY)).toBeNull();
  });
});
