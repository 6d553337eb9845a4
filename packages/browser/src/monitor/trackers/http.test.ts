// @vitest-environment happy-dom
// @vitest-environment-options {"url": "http://shop.example.com/"}
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MonitorEmit, TrackerContext } from '../types.ts';
import { setupHttpTracker } from './http.ts';
import { startApi, xhr } from './test-api.ts';

let events: [string, string, Record<string, unknown>][] = [];
const emit: MonitorEmit = (type, level, payload) => events.push([type, level, payload]);
let stop = () => {};
let api: Awaited<ReturnType<typeof startApi>>;
let base: string;
const context = (): TrackerContext => ({
  ignoreRoutes: [],
  ownEndpoints: ['', `${base}/_tracker/events`, '/a.b'],
});

beforeAll(async () => {
  api = await startApi();
  base = api.base;
});
afterAll(() => api.close());
afterEach(() => {
  stop();
  events = [];
  vi.unstubAllGlobals();
});

/** Resolves when `count` events have arrived (fetch reports after the response, XHR on `load`). */
const arrived = (count: number) => vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(count));

describe('http tracker (vite-plugin-monitor `track.http`)', () => {
  it('reports every fetch with method, url as called, status, duration, at the level of its status', async () => {
    stop = setupHttpTracker(emit, true, context());
    const response = await fetch(`${base}/200`);
    expect(await response.json()).toMatchObject({ user: 'ada' });
    await fetch(new URL(`${base}/404`), { method: 'post', body: 'hello' });
    await fetch(new Request(`${base}/503`, { method: 'DELETE' }));
    await arrived(3);
    expect(events.map(([type, level, p]) => [type, level, p.method, p.url, p.status])).toEqual([
      ['http', 'info', 'GET', `${base}/200`, 200],
      ['http', 'warn', 'POST', `${base}/404`, 404],
      ['http', 'error', 'DELETE', `${base}/503`, 503],
    ]);
    expect(events[1]?.[2]).toEqual({
      method: 'POST',
      url: `${base}/404`,
      status: 404,
      duration: expect.any(Number),
      requestSize: 5,
    });
  });

  it('reports a failed fetch as an error, and the page still gets the rejection', async () => {
    stop = setupHttpTracker(emit, true, context());
    await expect(fetch('http://127.0.0.1:1/down')).rejects.toThrow();
    await arrived(1);
    expect(events[0]?.[1]).toBe('error');
    expect(events[0]?.[2]).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:1/down',
      error: expect.stringMatching(/Error/),
    });
    expect(events[0]?.[2].status).toBeUndefined();
  });

  it('reports every XHR, `Network error` for a failed one, nothing for an aborted one', async () => {
    stop = setupHttpTracker(emit, true, context());
    const first = await xhr('get', `${base}/201`);
    await xhr('PUT', `${base}/500`, 'x');
    await xhr('GET', 'http://127.0.0.1:1/down');
    const aborted = new XMLHttpRequest();
    aborted.open('GET', `${base}/200`);
    aborted.send();
    aborted.abort();
    // The same object used again reports the new call once.
    await new Promise((resolve) => {
      first.open('DELETE', `${base}/404`);
      first.addEventListener('loadend', resolve);
      first.send();
    });
    await arrived(4);
    expect(events.map(([, level, p]) => [level, p.method, p.status, p.error])).toEqual([
      ['info', 'GET', 201, undefined],
      ['error', 'PUT', 500, undefined],
      ['error', 'GET', undefined, 'Network error'],
      ['warn', 'DELETE', 404, undefined],
    ]);
  });

  it('skips ignored methods and URLs, and its own endpoints matched literally', async () => {
    stop = setupHttpTracker(
      emit,
      { ignoreMethods: ['options', 'head'], ignoreUrls: [`${base}/204`, /\/40\d$/] },
      context(),
    );
    await fetch(`${base}/200`, { method: 'HEAD' });
    await fetch(`${base}/204`);
    await fetch(`${base}/204?again`);
    await fetch(`${base}/403`);
    await fetch(`${base}/_tracker/events?key=k`, { method: 'POST', body: '{}' });
    await xhr('POST', `${base}/_tracker/events`, '{}');
    // An unescaped RegExp (vite-plugin-monitor's) would take `/a.b` for `/aXb` and swallow this call.
    await fetch('/aXb').catch(() => undefined);
    await fetch('/a.b/c').catch(() => undefined);
    await vi.waitFor(() => expect(events.map(([, , p]) => p.url)).toEqual([`${base}/204?again`, '/aXb']));
  });

  it('never throws into the page, and restores fetch and XHR when torn down', async () => {
    const { fetch: originalFetch } = window;
    const { open, send, setRequestHeader } = XMLHttpRequest.prototype;
    stop = setupHttpTracker(
      () => {
        throw new Error('sender bug');
      },
      true,
      context(),
    );
    expect((await fetch(`${base}/200`)).status).toBe(200);
    expect((await xhr('GET', `${base}/200`)).status).toBe(200);
    stop();
    expect(window.fetch).toBe(originalFetch);
    expect(XMLHttpRequest.prototype).toMatchObject({ open, send, setRequestHeader });
  });
});
