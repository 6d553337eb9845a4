// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/cart?step=2#top"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Network, stubNetwork } from '../test-support.ts';
import { createMonitorClient } from './client.ts';
import { monitorConfig, monitorEvents, sent } from './test-config.ts';
import type { MonitorClient, MonitorEmit, TrackerContext, TrackerSetup } from './types.ts';

let network: Network;
let client: MonitorClient | undefined;
let emit: MonitorEmit;
let context: TrackerContext | undefined;
const teardown = vi.fn();

/** A tracker module that hands its `emit` to the test. */
const fakeTracker =
  <O>(received: unknown[]): TrackerSetup<O> =>
  (give, options, ctx) => {
    emit = give;
    context = ctx;
    received.push(options);
    return teardown;
  };

beforeEach(() => {
  sessionStorage.clear();
  network = stubNetwork();
});
afterEach(() => {
  client?.destroy();
  client = undefined;
  teardown.mockClear();
});

describe('the monitor client', () => {
  it('installs only the enabled trackers, holds their events until init, then starts the session', () => {
    const options: unknown[] = [];
    client = createMonitorClient(
      monitorConfig({ track: { errors: { ignoreMessages: [/noise/] }, clicks: false } }),
      { errors: fakeTracker(options), clicks: fakeTracker(options) },
    );
    client.setupTrackers();
    client.setupTrackers();
    expect(options).toEqual([{ ignoreMessages: [/noise/] }]);
    emit('error', 'error', { message: 'early' });
    expect(monitorEvents(network)).toEqual([]);
    client.init();
    expect(sent(network)).toEqual([
      ['error', { message: 'early' }],
      ['session', { action: 'start', trigger: 'init' }],
    ]);
  });

  it("sends vite-plugin-monitor's envelope: ISO time, ids kept for the tab, route without hash, meta", () => {
    client = createMonitorClient(monitorConfig({ buildVersion: '1.4.2' }));
    client.init();
    const [event] = monitorEvents(network);
    expect(event).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      type: 'session',
      appId: 'shop',
      sessionId: expect.stringMatching(/^sess_[\w-]+$/),
      userId: expect.stringMatching(/^anon_[\w-]+$/),
      payload: { action: 'start', trigger: 'init' },
      meta: {
        userAgent: navigator.userAgent,
        route: '/cart?step=2',
        viewport: `${innerWidth}x${innerHeight}`,
        language: navigator.language,
        buildVersion: '1.4.2',
      },
    });
    expect(sessionStorage.getItem('__tracker_session_id__')).toBe(event?.sessionId);
    expect(sessionStorage.getItem('__tracker_user_id__')).toBe(event?.userId);
    // Sent by Skopos' HTTP sender: text/plain `{events}` with the key in the URL (no preflight).
    expect(network.requests.at(-1)?.url.href).toBe('https://shop.example.com/_tracker/events');
  });

  it('drops automatic events below track.level, never custom or session events', () => {
    client = createMonitorClient(monitorConfig({ track: { errors: true, level: 'warn' } }), {
      errors: fakeTracker([]),
    });
    client.init();
    emit('console', 'info', { message: 'dropped' });
    emit('console', 'debug', { message: 'dropped' });
    emit('http', 'warn', { status: 404 });
    emit('error', 'error', { message: 'kept' });
    client.track('low', {}, { level: 'debug' });
    expect(sent(network).map(([type]) => type)).toEqual(['session', 'http', 'error', 'custom']);
  });

  it("tells trackers the dashboard route and the client's own endpoints, relative and absolute", () => {
    client = createMonitorClient(monitorConfig({ track: { errors: true } }), { errors: fakeTracker([]) });
    client.setupTrackers();
    expect(context?.ignoreRoutes).toEqual([]);
    client.destroy();
    client = createMonitorClient(
      monitorConfig({
        track: { errors: true },
        pingEndpoint: '/_tracker/ping',
        dashboard: { enabled: true, route: '/_dashboard', pollInterval: 1 },
      }),
      { errors: fakeTracker([]) },
    );
    client.setupTrackers();
    expect(context).toEqual({
      ignoreRoutes: ['/_dashboard'],
      ownEndpoints: [
        '/_tracker/events',
        'https://shop.example.com/_tracker/events',
        '/_tracker/events',
        'https://shop.example.com/_tracker/events',
        '/_tracker/ping',
        'https://shop.example.com/_tracker/ping',
      ],
    });
  });

  it('ends the session on unload (in the final beacon) and on destroy, then sends nothing more', () => {
    client = createMonitorClient(monitorConfig({ batchSize: 25, track: { errors: true } }), {
      errors: fakeTracker([]),
    });
    client.init();
    window.dispatchEvent(new Event('beforeunload'));
    expect(network.requests.at(-1)?.via).toBe('beacon');
    expect(sent(network).at(-1)).toEqual(['session', { action: 'end', trigger: 'unload' }]);
    client.destroy();
    expect(teardown).toHaveBeenCalledOnce();
    expect(sent(network).at(-1)).toEqual(['session', { action: 'end', trigger: 'destroy' }]);
    const count = network.events().length;
    emit('error', 'error', { message: 'after destroy' });
    client.track('after destroy');
    window.dispatchEvent(new Event('beforeunload'));
    expect(network.events()).toHaveLength(count);
  });

  it('exposes the first initialised client as window.__tracker_instance__, read-only', () => {
    // Earlier tests initialised clients on this page: the first one stays, as in vite-plugin-monitor.
    const first = window.__tracker_instance__;
    expect(first?.track).toBeTypeOf('function');
    client = createMonitorClient(monitorConfig());
    client.init();
    expect(window.__tracker_instance__).toBe(first);
    expect(Object.getOwnPropertyDescriptor(window, '__tracker_instance__')).toMatchObject({
      writable: false,
      configurable: false,
    });
  });
});
