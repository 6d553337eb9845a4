// What the app's scenario (e2e-options-page.ts) must deliver under the full option set of
// e2e-options-support.ts: exactly the expected events (by signature), each with its level and its
// fields as vite-plugin-monitor 1.7.0's trackers define them (src/client/trackers/*, src/client/index.ts).
import type { ReadEvent } from '@skopos/core';
import { expect } from 'vitest';
import { DOWN_URL, expectedSignatures, mainPosition, signature } from './e2e-options-page.ts';
import {
  APP_ID,
  BUILD_VERSION,
  RESOLVED_USER,
  type ScenarioResult,
  VIEWPORT,
  waitForEvents,
} from './e2e-options-support.ts';
import type { LogLevel } from './options.ts';

/** The payload fields of each type in vite-plugin-monitor 1.7.0's `src/types.ts` (`*Payload`). */
const PEER_PAYLOAD_KEYS: Record<string, string[]> = {
  click: ['tag', 'text', 'id', 'classes', 'xpath', 'coordinates'],
  http: [
    'method',
    'url',
    'status',
    'duration',
    'error',
    'requestHeaders',
    'requestBody',
    'requestSize',
    'responseHeaders',
    'responseBody',
    'responseSize',
  ],
  error: ['message', 'stack', 'filename', 'lineno', 'colno', 'errorType'],
  navigation: ['from', 'to', 'trigger', 'duration'],
  console: ['method', 'message', 'args', 'stack', 'groupDepth'],
  custom: ['name', 'data', 'duration'],
  session: ['action', 'trigger', 'previousUserId', 'newUserId'],
};
const PEER_META_KEYS = [
  'userAgent',
  'route',
  'viewport',
  'language',
  'referrer',
  'buildVersion',
  'userAttributes',
];

/** Keys of `value` that `allowed` does not list. */
const extra = (value: object, allowed: string[] = []): string[] =>
  Object.keys(value).filter((key) => !allowed.includes(key));

/** Asserts the events of one run: exactly the expected ones, each with the peer's fields. */
export function expectScenarioEvents(
  events: ReadEvent[],
  level: LogLevel,
  run: Pick<ScenarioResult, 'groupId' | 'ms' | 'box' | 'overlays'>,
  origin: string,
): void {
  const expected = expectedSignatures(level);
  expect(events.map(signature).sort()).toEqual([...expected].sort());
  const sessions = new Set(events.map((event) => event.sessionId));
  expect([...sessions]).toEqual([expect.stringMatching(/^sess_/)]);
  for (const event of events) {
    expect(event).toMatchObject({ appId: APP_ID, timestamp: expect.stringMatching(/Z$/) });
    // No field the peer's types do not have (reads add Skopos' own next to them, not inside).
    expect([signature(event), extra(event.payload, PEER_PAYLOAD_KEYS[event.type])]).toEqual([
      signature(event),
      [],
    ]);
    expect([signature(event), extra(event.meta, PEER_META_KEYS)]).toEqual([signature(event), []]);
    expect(event.meta).toMatchObject({
      userAgent: expect.stringContaining('Chrome/131'),
      viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
      language: 'en-US',
      buildVersion: BUILD_VERSION,
    });
  }
  // Events before setContext/setUser carry neither; after them, context and the new user's attributes.
  const at = expected.indexOf('warn custom step:address');
  const userAt = expected.indexOf('info session start userId-change');
  for (const event of events) {
    const index = expected.indexOf(signature(event));
    expect(event.context, signature(event)).toEqual(index < at ? undefined : { tenant: 'acme' });
    expect(event.userId, signature(event)).toBe(index < userAt ? RESOLVED_USER : 'user-42');
    expect(event.meta.userAttributes, signature(event)).toEqual(index < userAt ? undefined : { plan: 'pro' });
  }

  const x = run.box.x + run.box.width / 2;
  const y = run.box.y + run.box.height / 2;
  const fields: Record<string, Partial<ReadEvent>> = {
    'info click Buy now': {
      payload: {
        tag: 'button',
        text: 'Buy now',
        id: 'buy',
        classes: 'btn primary',
        xpath: '/html/body/main/button',
        coordinates: { x: expect.any(Number), y: expect.any(Number) },
      },
      meta: expect.objectContaining({ route: '/shop?tab=new' }),
    },
    'info navigation load /shop?tab=new -> /shop?tab=new': {
      payload: { from: '/shop?tab=new', to: '/shop?tab=new', trigger: 'load', duration: expect.any(Number) },
    },
    // The route is pathname + search: no hash.
    'info navigation hashchange /products?page=3 -> /products#reviews': {
      meta: expect.objectContaining({ route: '/products?page=3' }),
    },
    'info http POST /api/ok 200': {
      payload: {
        method: 'POST',
        url: '/api/ok',
        status: 200,
        duration: expect.any(Number),
        // authorization is always dropped, x-internal by excludeHeaders.
        requestHeaders: { 'content-type': 'application/json', 'x-trace': 't1' },
        requestBody: { item: 3, fiscalCode: '[REDACTED]' },
        requestSize: JSON.stringify({ item: 3, fiscalCode: 'F' }).length,
        responseHeaders: expect.objectContaining({
          'x-request-id': 'req-1',
          'content-type': 'application/json',
        }),
        responseBody: { ok: true, token: '[REDACTED]' },
        responseSize: JSON.stringify({ ok: true, token: 'abc' }).length,
      },
      meta: expect.objectContaining({ route: '/cart' }),
    },
    'warn http GET /api/missing 404': {
      payload: expect.objectContaining({ status: 404, responseBody: { error: '/api/missing' } }),
    },
    [`error http GET ${DOWN_URL} TypeError: Failed to fetch`]: {
      payload: {
        method: 'GET',
        url: DOWN_URL,
        duration: expect.any(Number),
        error: 'TypeError: Failed to fetch',
      },
    },
    [`error http GET ${DOWN_URL} Network error`]: {
      payload: { method: 'GET', url: DOWN_URL, duration: expect.any(Number), error: 'Network error' },
    },
    // maxBodySize: 64, cut after redaction.
    'info http GET /api/big 200': {
      payload: expect.objectContaining({
        responseBody: expect.stringMatching(/^\{"rows":\[0,1,2,.{40,}…\[truncated \d+B\]$/),
      }),
    },
    // maxArgs: 3, then a marker for the rest.
    'info console log cart has 3 items': {
      payload: {
        method: 'log',
        message: 'cart has 3 items',
        args: [
          { type: 'string', value: '%s has %d items' },
          { type: 'string', value: 'cart' },
          { type: 'number', value: 3 },
          { type: 'truncated', value: '[2 more args]' },
        ],
        groupDepth: 0,
      },
    },
    // maxArgLength: 40.
    [`info console info ${'x'.repeat(60)}`]: {
      payload: expect.objectContaining({ args: [{ type: 'string', value: `${'x'.repeat(40)}…[+20]` }] }),
    },
    // captureStackOnError: a stack on console.error only.
    'error console error console failure': {
      payload: expect.objectContaining({ stack: expect.stringContaining('main.js') }),
    },
    'warn console warn low stock': { payload: expect.not.objectContaining({ stack: expect.anything() }) },
    'error error TypeError Uncaught TypeError: boom': {
      payload: {
        message: 'Uncaught TypeError: boom',
        stack: expect.stringContaining('TypeError: boom'),
        filename: `${origin}/main.js`,
        // Where the error was made: Vite serves main.js with its lines where they were.
        ...mainPosition("new TypeError('boom')"),
        errorType: 'TypeError',
      },
    },
    'error error RangeError nope': {
      payload: {
        message: 'nope',
        stack: expect.stringContaining('RangeError: nope'),
        errorType: 'RangeError',
      },
    },
    'warn custom step:address': {
      groupId: run.groupId,
      payload: { name: 'step:address', data: { n: 1 } },
      meta: expect.objectContaining({ route: '/cart' }),
    },
    'info session end userId-change': {
      payload: { action: 'end', trigger: 'userId-change', previousUserId: RESOLVED_USER },
    },
    'info session start userId-change': {
      payload: { action: 'start', trigger: 'userId-change', newUserId: 'user-42' },
    },
    'info custom load-products': { payload: { name: 'load-products', data: { count: 5 }, duration: run.ms } },
  };
  for (const [line, want] of Object.entries(fields)) {
    if (!expected.includes(line)) continue;
    expect(
      events.find((event) => signature(event) === line),
      line,
    ).toMatchObject(want);
  }
  // Playwright clicks the middle of the button; MouseEvent's clientX/Y are whole pixels.
  const click = events.find((event) => event.type === 'click');
  if (click) {
    const point = click.payload.coordinates as { x: number; y: number };
    expect(Math.abs(point.x - x)).toBeLessThan(1);
    expect(Math.abs(point.y - y)).toBeLessThan(1);
  }
  expect(run.groupId).toMatch(/^grp_checkout_/);
  expect(run.overlays).toBe(1);
  // timeEnd measured the fetch it wrapped, so at least that call's duration.
  const timed = events.find((event) => signature(event) === 'info http GET /api/ok?timed=1 200');
  if (timed) expect(run.ms).toBeGreaterThanOrEqual(timed.payload.duration as number);
}

/** Waits until `read` answers as many events as the run must deliver at `level`, then checks them. */
export async function expectDelivered(
  read: () => Promise<ReadEvent[]>,
  level: LogLevel,
  run: ScenarioResult,
  origin: string,
): Promise<void> {
  const events = await waitForEvents(read, expectedSignatures(level).length);
  expectScenarioEvents(events, level, run, origin);
}
