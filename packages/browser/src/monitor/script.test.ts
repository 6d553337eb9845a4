// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { type Network, stubNetwork } from '../test-support.ts';
import { monitorConfig, sent } from './test-config.ts';
import type { MonitorConfig, MonitorEmit } from './types.ts';

let network: Network;
let emit: MonitorEmit | undefined;
const config = (value: MonitorConfig | undefined): void => {
  Object.defineProperty(window, '__TRACKER_CONFIG__', { configurable: true, value });
};

beforeAll(async () => {
  network = stubNetwork();
  // What the plugin's page holds before this script: a tracker module registered by its own script.
  window.__skopos_trackers__ = {
    errors: (give) => {
      emit = give;
      return () => {};
    },
  };
  await import('./script.ts');
});

describe('the monitor script tag', () => {
  it('throws a clear error when the page has no __TRACKER_CONFIG__', () => {
    config(undefined);
    expect(() => window.__skopos_monitor__?.setup()).toThrow('no window.__TRACKER_CONFIG__');
  });

  it('setup reads the page config and installs the registered trackers; init starts sending', () => {
    config(monitorConfig({ track: { errors: true } }));
    window.__skopos_monitor__?.setup(() => 'user-9');
    emit?.('error', 'error', { message: 'boom' });
    expect(sent(network)).toEqual([]);
    window.__skopos_monitor__?.init();
    expect(sent(network)).toEqual([
      ['error', { message: 'boom' }],
      ['session', { action: 'start', trigger: 'init' }],
    ]);
    expect(window.__tracker_instance__).toBeDefined();
  });

  it('keeps one client: a second script run or init changes nothing', async () => {
    const bootstrap = window.__skopos_monitor__;
    vi.resetModules();
    await import('./script.ts');
    expect(window.__skopos_monitor__).toBe(bootstrap);
    window.__skopos_monitor__?.init();
    expect(sent(network).filter(([type]) => type === 'session')).toHaveLength(1);
  });
});
