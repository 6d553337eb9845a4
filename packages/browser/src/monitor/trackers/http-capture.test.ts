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
  ownEndpoints: [],
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

describe('http tracker: headers and bodies (vite-plugin-monitor `track.http` capture options)', () => {
  it('captures headers and bodies only when asked, redacted and cut', async () => {
    // happy-dom empties both bodies when a network `Response` is cloned (a real browser does not), so
    // this fetch answers locally: an echo with the API's response headers.
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const headers = { 'content-type': 'application/json', 'set-cookie': 'sid=1', 'x-request-id': 'r' };
      return new Response(init.body as string, { headers });
    });
    stop = setupHttpTracker(
      emit,
      {
        captureRequestHeaders: true,
        captureRequestBody: true,
        captureResponseHeaders: true,
        captureResponseBody: true,
        excludeHeaders: ['X-Request-Id'],
        redactKeys: ['User'],
        maxBodySize: 80,
      },
      context(),
    );
    const login = JSON.stringify({
      username: 'ada',
      password: 'pw',
      profile: { apiKey: 'k', age: 36, bio: 'hi' },
    });
    const redacted = JSON.stringify({
      username: '[REDACTED]',
      password: '[REDACTED]',
      profile: { apiKey: '[REDACTED]', age: 36, bio: 'hi' },
    });
    const cut = `${redacted.slice(0, 80)}…[truncated ${redacted.length - 80}B]`;
    const headers = { Authorization: 'Bearer t', 'X-Trace': 'tr-1', 'content-type': 'application/json' };
    const response = await fetch(`${base}/echo`, { method: 'POST', body: login, headers });
    expect(await response.text()).toBe(login);
    await xhr('POST', `${base}/200`, 'user=ada&password=pw&remember=1', { 'X-Trace': 'tr-2', Cookie: 'a=b' });
    await arrived(2);
    const [fetched, sent] = events.map(([, , p]) => p);
    expect(fetched).toMatchObject({
      requestHeaders: { 'x-trace': 'tr-1', 'content-type': 'application/json' },
      requestBody: cut,
      requestSize: login.length,
      responseBody: cut,
      responseSize: login.length,
    });
    expect(fetched?.responseHeaders).toMatchObject({ 'content-type': expect.any(String) });
    expect(fetched?.responseHeaders).not.toHaveProperty('set-cookie');
    expect(fetched?.responseHeaders).not.toHaveProperty('x-request-id');
    expect(sent).toMatchObject({
      requestHeaders: { 'x-trace': 'tr-2' },
      // vite-plugin-monitor stores form bodies in clear; a login form is what redaction is for.
      requestBody: 'user=%5BREDACTED%5D&password=%5BREDACTED%5D&remember=1',
      responseBody: { user: '[REDACTED]', token: '[REDACTED]', items: [{ iban: '[REDACTED]' }] },
    });
    expect(sent?.requestHeaders).not.toHaveProperty('cookie');
  });

  it('leaves headers and bodies out by default', async () => {
    stop = setupHttpTracker(emit, true, context());
    await fetch(`${base}/echo`, { method: 'POST', body: '{"a":1}', headers: { 'x-trace': '1' } });
    await xhr('POST', `${base}/echo`, '{"a":1}', { 'x-trace': '1' });
    await arrived(2);
    for (const [, , p] of events) {
      const present = Object.keys(p).filter((k) => p[k] !== undefined);
      expect(present.sort()).toEqual(['duration', 'method', 'requestSize', 'status', 'url']);
    }
  });
});
