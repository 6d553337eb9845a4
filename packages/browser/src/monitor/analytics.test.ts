// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/home?utm_source=news#top"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Network, setHidden, stubNetwork } from '../test-support.ts';
import { createMonitorClient } from './client.ts';
import { monitorConfig, sent, skoposEvents } from './test-config.ts';
import type { MonitorClient, MonitorConfig, TrackerSetups } from './types.ts';

let network: Network;
let client: MonitorClient | undefined;

/** A navigation tracker reporting each pushState, as the real one does. */
const navigation: TrackerSetups['navigation'] = (emit) => {
  const push = history.pushState;
  history.pushState = (...args: Parameters<History['pushState']>) => {
    push.apply(history, args);
    emit('navigation', 'info', { from: 'x', to: location.pathname, trigger: 'pushState', duration: 0 });
  };
  return () => {
    history.pushState = push;
  };
};
const start = (track: Partial<MonitorConfig['track']> = {}): MonitorClient => {
  client = createMonitorClient(monitorConfig({ track }), { navigation });
  client.init();
  return client;
};
const skopos = () => skoposEvents(network).map((event) => [event.type, event.url, event.duration]);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  history.replaceState(null, '', '/home?utm_source=news#top');
  setHidden(false);
  network = stubNetwork();
});
afterEach(() => {
  client?.destroy();
  client = undefined;
  vi.useRealTimers();
});

describe("Skopos' analytics next to the monitor events", () => {
  it('without the navigation tracker: Skopos page views of the load and each route, with the visible time left', () => {
    start();
    vi.advanceTimersByTime(4000);
    history.pushState(null, '', '/products');
    expect(skopos()).toEqual([
      ['pageView', 'https://shop.example.com/home?utm_source=news', undefined],
      ['engagement', 'https://shop.example.com/home?utm_source=news', 4],
      ['pageView', 'https://shop.example.com/products?utm_source=news', undefined],
    ]);
    expect(skoposEvents(network)[0]).toMatchObject({
      siteId: 'shop',
      eventId: expect.any(String),
      ts: Date.now() - 4000,
    });
  });

  it('with the navigation tracker: its events are the page views, Skopos only adds visible time', () => {
    start({ navigation: true });
    vi.advanceTimersByTime(2500);
    history.pushState(null, '', '/products');
    expect(skopos()).toEqual([['engagement', 'https://shop.example.com/home?utm_source=news', 2.5]]);
    expect(sent(network).map(([type]) => type)).toEqual(['session', 'navigation']);
  });

  it('sends Skopos page views itself when track.level drops the navigation events', () => {
    start({ navigation: true, level: 'warn' });
    expect(skopos()).toEqual([['pageView', 'https://shop.example.com/home?utm_source=news', undefined]]);
  });

  it('counts only visible time: hiding reports it and stops the clock until the page shows again', () => {
    start();
    vi.advanceTimersByTime(3000);
    setHidden(true);
    vi.advanceTimersByTime(60_000);
    setHidden(false);
    vi.advanceTimersByTime(1000);
    client?.destroy();
    expect(
      skopos()
        .filter(([type]) => type === 'engagement')
        .map(([, , seconds]) => seconds),
    ).toEqual([3, 1]);
  });
});
