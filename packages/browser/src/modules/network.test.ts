// @vitest-environment happy-dom
// @vitest-environment-options {"url": "https://shop.example.com/"}
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trackNetworkTiming } from './network.ts';

let tracked: [string, Record<string, unknown> | undefined][];
let stop: () => void;
let clock: number;

beforeEach(() => {
  tracked = [];
  clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  // The "server": answers after `delay` ms of the fake clock, with a status from the path.
  vi.stubGlobal('fetch', async (input: RequestInfo | URL) => {
    const url = new URL(String(input instanceof Request ? input.url : input), location.href);
    clock += Number(url.searchParams.get('delay') ?? 0);
    if (url.pathname === '/offline') throw new TypeError('Failed to fetch');
    return new Response(null, { status: Number(url.pathname.slice(1)) || 200 });
  });
  stop = trackNetworkTiming({ track: (name, data) => tracked.push([name, data]) }, { slowMs: 500 });
});
afterEach(() => {
  stop();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('fetch timing', () => {
  it('reports failures and slow requests, without query strings, and passes responses through', async () => {
    const ok = await fetch('/200?delay=10');
    expect(ok.status).toBe(200);
    await fetch('/503?token=secret', { method: 'post' });
    await fetch('/200?delay=800');
    await fetch('/offline').catch(() => undefined);
    await settle();
    expect(tracked.map(([, data]) => data)).toEqual([
      { method: 'POST', url: 'https://shop.example.com/503', status: 503, duration: 0, via: 'fetch' },
      { method: 'GET', url: 'https://shop.example.com/200', status: 200, duration: 800, via: 'fetch' },
      { method: 'GET', url: 'https://shop.example.com/offline', status: 0, duration: 0, via: 'fetch' },
    ]);
    expect(tracked.every(([name]) => name === 'http-request')).toBe(true);
  });

  it("ignores the tracker's own write route, and restores fetch when stopped", async () => {
    await fetch('/_tracker/events?delay=5000');
    await settle();
    expect(tracked).toEqual([]);
    const wrapped = window.fetch;
    stop();
    expect(window.fetch).not.toBe(wrapped);
  });
});

describe('XHR timing', () => {
  it('reports a failed XMLHttpRequest when it ends', () => {
    stop();
    const realSend = XMLHttpRequest.prototype.send;
    // The "server" of this test: every request ends at once with a 500, without touching the network.
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest) {
      clock += 20;
      Object.defineProperty(this, 'status', { value: 500 });
      this.dispatchEvent(new Event('loadend'));
    };
    stop = trackNetworkTiming({ track: (name, data) => tracked.push([name, data]) });
    try {
      const xhr = new XMLHttpRequest();
      xhr.open('GET', '/api/cart?id=1');
      xhr.send();
    } finally {
      stop();
      XMLHttpRequest.prototype.send = realSend;
    }
    expect(tracked.map(([, data]) => data)).toEqual([
      { method: 'GET', url: 'https://shop.example.com/api/cart', status: 500, duration: 20, via: 'xhr' },
    ]);
  });
});
