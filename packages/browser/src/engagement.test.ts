// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/a"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Network, pageTransition, setHidden, stubNetwork } from './test-support.ts';
import { createTracker } from './tracker.ts';
import type { Tracker } from './types.ts';

let network: Network;
let tracker: Tracker;
const exits = () => {
  tracker.flush();
  return network
    .events()
    .filter((event) => event.type === 'engagement')
    .map((event) => [new URL(event.url).pathname, event.duration]);
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  history.replaceState(null, '', '/a');
  setHidden(false);
  network = stubNetwork();
  tracker = createTracker();
});
afterEach(() => {
  tracker.stop();
  vi.useRealTimers();
});

describe('engagement: visible time per page', () => {
  it('sends the time spent on a page, in seconds, when the app navigates away from it', () => {
    vi.advanceTimersByTime(12_500);
    history.pushState(null, '', '/b');
    vi.advanceTimersByTime(3_000);
    history.pushState(null, '', '/c');
    expect(exits()).toEqual([
      ['/a', 12.5],
      ['/b', 3],
    ]);
  });

  it('counts only visible time: hiding reports and beacons, showing resumes the clock', () => {
    vi.advanceTimersByTime(4_000);
    setHidden(true);
    const last = network.requests.at(-1);
    expect([last?.via, last?.events.map((event) => event.type)]).toEqual(['beacon', ['engagement']]);
    expect(exits()).toEqual([['/a', 4]]);
    vi.advanceTimersByTime(60_000);
    setHidden(false);
    vi.advanceTimersByTime(2_000);
    history.pushState(null, '', '/b');
    expect(exits()).toEqual([
      ['/a', 4],
      ['/a', 2],
    ]);
  });

  it('is an engagement signal, not a custom event, and every event carries the client clock', () => {
    const start = Date.now();
    vi.advanceTimersByTime(2_000);
    tracker.track('signup');
    vi.advanceTimersByTime(1_000);
    history.pushState(null, '', '/b');
    tracker.flush();
    const events = network.events();
    expect(events.map((event) => [event.type, event.name, (event.ts ?? 0) - start])).toEqual([
      ['pageView', undefined, 0],
      ['custom', 'signup', 2_000],
      ['engagement', undefined, 3_000],
      ['pageView', undefined, 3_000],
    ]);
    expect(events[2]).toMatchObject({ url: 'https://shop.example.com/a', duration: 3 });
    expect(events[2]).not.toHaveProperty('customData');
  });

  it('reports and beacons on pagehide, once', () => {
    vi.advanceTimersByTime(1_500);
    window.dispatchEvent(pageTransition('pagehide', false));
    window.dispatchEvent(pageTransition('pagehide', false));
    expect(network.requests.map((request) => request.via)).toEqual(['beacon']);
    expect(network.events().map((event) => event.type)).toEqual(['pageView', 'engagement']);
    expect(exits()).toEqual([['/a', 1.5]]);
  });
});
