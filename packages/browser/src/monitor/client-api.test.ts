// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/checkout"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Network, stubNetwork } from '../test-support.ts';
import { createMonitorClient } from './client.ts';
import { monitorConfig, monitorEvents, sent } from './test-config.ts';
import type { MonitorClient } from './types.ts';

let network: Network;
let client: MonitorClient;
const last = () => monitorEvents(network).at(-1);

beforeEach(() => {
  sessionStorage.clear();
  network = stubNetwork();
  client = createMonitorClient(monitorConfig());
  client.init(() => 'user-1');
});
afterEach(() => {
  client.destroy();
  vi.restoreAllMocks();
});

describe("the monitor client's API (vite-plugin-monitor's)", () => {
  it('track: a custom event { name, data } with its level, group and one-off context', () => {
    const groupId = client.group('checkout');
    client.track('pay', { amount: 42 }, { level: 'warn', groupId, context: { step: 3 } });
    client.track('bare');
    const [pay, bare] = monitorEvents(network).slice(-2);
    expect(pay).toMatchObject({ type: 'custom', level: 'warn', groupId, context: { step: 3 } });
    expect(pay?.payload).toEqual({ name: 'pay', data: { amount: 42 } });
    expect(bare).toMatchObject({ level: 'info', payload: { name: 'bare', data: {} } });
    expect(bare).not.toHaveProperty('context');
  });

  it('init(userIdFn) names the user on every event', () => {
    expect(monitorEvents(network).map((event) => event.userId)).toEqual(['user-1']);
  });

  it('setUser: the old id ends its session, the new one starts one, attributes go in meta', () => {
    client.setUser('user-2', { attributes: { plan: 'pro' } });
    client.track('after');
    expect(
      monitorEvents(network)
        .slice(-3)
        .map((e) => [e.userId, e.payload, e.meta.userAttributes]),
    ).toEqual([
      ['user-1', { action: 'end', trigger: 'userId-change', previousUserId: 'user-1' }, undefined],
      ['user-2', { action: 'start', trigger: 'userId-change', newUserId: 'user-2' }, { plan: 'pro' }],
      ['user-2', { name: 'after', data: {} }, { plan: 'pro' }],
    ]);
    expect(sessionStorage.getItem('__tracker_user_id__')).toBe('user-2');
    // Same tab, same session: only the user changed.
    expect(new Set(monitorEvents(network).map((e) => e.sessionId)).size).toBe(1);
  });

  it('setUser(null): a new anonymous id, attributes cleared', () => {
    client.setUser('user-2', { attributes: { plan: 'pro' } });
    client.setUser(null);
    expect(last()?.userId).toMatch(/^anon_/);
    expect(last()?.payload).toEqual({ action: 'start', trigger: 'userId-change', newUserId: last()?.userId });
    expect(last()?.meta).not.toHaveProperty('userAttributes');
  });

  it('setContext merges into every later event; a null value removes its key, null clears all', () => {
    client.setContext({ tenant: 'acme', ab: 'v2' });
    client.track('one', {}, { context: { ab: 'v3' } });
    expect(last()?.context).toEqual({ tenant: 'acme', ab: 'v3' });
    client.setContext({ ab: null });
    client.track('two');
    expect(last()?.context).toEqual({ tenant: 'acme' });
    client.setContext(null);
    client.track('three');
    expect(last()).not.toHaveProperty('context');
  });

  it('group: a distinct id per call, naming its label', () => {
    const ids = [client.group('checkout'), client.group('checkout')];
    expect(ids[0]).toMatch(/^grp_checkout_/);
    expect(ids[1]).not.toBe(ids[0]);
  });

  it('time/timeEnd: the ms between them as a custom event named by the label', () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    client.time('load-products');
    now = 1234.4;
    expect(client.timeEnd('load-products', { count: 5 }, { level: 'debug' })).toBe(234);
    expect(last()).toMatchObject({
      level: 'debug',
      payload: { name: 'load-products', data: { count: 5 }, duration: 234 },
    });
  });

  it('time/timeEnd misuse never throws: -1 without time, a second time keeps the first start', () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const count = network.events().length;
    expect(client.timeEnd('never-started')).toBe(-1);
    expect(network.events()).toHaveLength(count);
    client.time('twice');
    now = 50;
    client.time('twice');
    now = 80;
    expect(client.timeEnd('twice')).toBe(80);
  });

  it("sends every batch with the key in X-Tracker-Key, as vite-plugin-monitor's client does", () => {
    expect(sent(network)[0]).toEqual(['session', { action: 'start', trigger: 'init' }]);
    expect(network.requests.every((request) => request.headers['x-tracker-key'] === 'k3y')).toBe(true);
  });
});
