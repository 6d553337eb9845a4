// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tracker } from './api.ts';
import type { MonitorClient } from './types.ts';

afterEach(() => {
  vi.restoreAllMocks();
  delete window.__skopos_monitor__;
});

describe('the tracker export', () => {
  it('before any client: calls are dropped, group still answers an id, timeEnd -1', () => {
    expect(() => tracker.track('early', { a: 1 })).not.toThrow();
    expect(tracker.group('checkout')).toMatch(/^grp_checkout_\w+_offline$/);
    expect(tracker.timeEnd('x')).toBe(-1);
  });

  it("init starts the page's bootstrap (the injected script), and warns when there is none", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    tracker.init();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('no monitor script'));
    const init = vi.fn();
    window.__skopos_monitor__ = { setup: vi.fn(), init };
    const userId = () => 'user-1';
    tracker.init(userId);
    expect(init).toHaveBeenCalledWith(userId);
  });

  it('forwards every call to window.__tracker_instance__, whichever bundle created it', () => {
    const calls: unknown[][] = [];
    const record =
      (name: string, answer?: unknown) =>
      (...args: unknown[]) => {
        calls.push([name, ...args]);
        return answer;
      };
    const client = {
      setupTrackers: record('setupTrackers'),
      init: record('init'),
      destroy: record('destroy'),
      track: record('track'),
      setUser: record('setUser'),
      setContext: record('setContext'),
      group: record('group', 'grp_1'),
      time: record('time'),
      timeEnd: record('timeEnd', 12),
    } as MonitorClient;
    Object.defineProperty(window, '__tracker_instance__', { value: client });
    tracker.track('buy', { n: 1 }, { level: 'warn' });
    tracker.setUser('u', { attributes: { plan: 'pro' } });
    tracker.setContext({ tenant: 'acme' });
    tracker.time('t');
    expect(tracker.timeEnd('t', { ok: true })).toBe(12);
    expect(tracker.group('g')).toBe('grp_1');
    tracker.destroy();
    expect(calls).toEqual([
      ['track', 'buy', { n: 1 }, { level: 'warn' }],
      ['setUser', 'u', { attributes: { plan: 'pro' } }],
      ['setContext', { tenant: 'acme' }],
      ['time', 't'],
      ['timeEnd', 't', { ok: true }, undefined],
      ['group', 'g'],
      ['destroy'],
    ]);
  });
});
