// @vitest-environment happy-dom
// happy-dom's default page is http://localhost:3000/, a development machine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Network, stubNetwork } from './test-support.ts';
import { createTracker } from './tracker.ts';
import type { Tracker, TrackerOptions } from './types.ts';

let network: Network;
let tracker: Tracker | undefined;
const sentWith = (options: TrackerOptions): number => {
  tracker = createTracker({ batchSize: 1, ...options });
  tracker.track('probe');
  return network.events().length;
};
const setNavigator = (key: string, value: unknown): void => {
  Object.defineProperty(navigator, key, { configurable: true, value });
};

beforeEach(() => {
  network = stubNetwork();
  localStorage.clear();
  setNavigator('doNotTrack', null);
  setNavigator('globalPrivacyControl', undefined);
});
afterEach(() => tracker?.stop());

describe('privacy', () => {
  it('ignores localhost unless allowed (option or a bare data-allow-localhost)', () => {
    expect(sentWith({})).toBe(0);
    expect(sentWith({ allowLocalhost: '' as unknown as boolean })).toBeGreaterThan(0);
  });

  it('honours the visitor opt-out flag in localStorage', () => {
    localStorage.setItem('skopos_ignore', 'true');
    expect(sentWith({ allowLocalhost: true })).toBe(0);
  });

  it('honours Do-Not-Track and Global Privacy Control only when respectDnt is set', () => {
    setNavigator('doNotTrack', '1');
    expect(sentWith({ allowLocalhost: true, respectDnt: true })).toBe(0);
    setNavigator('doNotTrack', null);
    setNavigator('globalPrivacyControl', true);
    expect(sentWith({ allowLocalhost: true, respectDnt: true })).toBe(0);
    expect(sentWith({ allowLocalhost: true, respectDnt: 'false' as unknown as boolean })).toBeGreaterThan(0);
  });

  it('sets no cookie and stores nothing', () => {
    sentWith({ allowLocalhost: true });
    expect(document.cookie).toBe('');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });
});
