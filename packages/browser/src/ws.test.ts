// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/pricing"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './test-socket.ts';
import { type Network, pageTransition, stubNetwork } from './test-support.ts';
import type { Tracker } from './types.ts';
import { createWsTracker } from './ws.ts';

let network: Network;
let tracker: Tracker | undefined;
const sent = () =>
  (FakeSocket.all[0]?.ingests() ?? []).flatMap((frame) => frame.events ?? []).map((e) => [e.type, e.name]);

beforeEach(() => {
  FakeSocket.all = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  network = stubNetwork();
});
afterEach(() => {
  tracker?.stop();
  tracker = undefined;
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('createWsTracker', () => {
  it('sends the core tracker events over the socket, never over HTTP', () => {
    tracker = createWsTracker({
      site: 'shop',
      wsEndpoint: 'wss://stats.example.com/_tracker/ws',
      apiKey: 'k',
    });
    FakeSocket.all[0]?.open();
    tracker.track('signup', { plan: 'pro' });
    tracker.flush();
    expect(FakeSocket.all.map((socket) => socket.url.toString())).toEqual([
      'wss://stats.example.com/_tracker/ws',
    ]);
    expect(FakeSocket.all[0]?.frames[0]).toEqual({ type: 'auth', key: 'k' });
    expect(sent()).toEqual([
      ['pageView', undefined],
      ['custom', 'signup'],
    ]);
    expect(FakeSocket.all[0]?.ingests()[0]?.events?.[0]).toMatchObject({
      siteId: 'shop',
      url: 'https://shop.example.com/pricing',
    });
    window.dispatchEvent(pageTransition('pagehide', false));
    expect(sent().at(-1)).toEqual(['engagement', undefined]);
    expect(network.requests).toEqual([]);
  });

  it('closes the socket on stop() after sending what is queued', () => {
    tracker = createWsTracker({ batchSize: 25 });
    FakeSocket.all[0]?.open();
    tracker.track('last');
    tracker.stop();
    expect(sent().map(([, name]) => name)).toContain('last');
    expect(FakeSocket.all[0]?.closedWith).toBe(1000);
  });

  it('never opens a socket for a visitor who opted out', () => {
    localStorage.setItem('skopos_ignore', 'true');
    tracker = createWsTracker({ wsEndpoint: 'wss://stats.example.com/_tracker/ws' });
    tracker.track('ignored');
    expect(FakeSocket.all).toEqual([]);
  });
});
