import type { MonitorEventType } from '../model/event-types.ts';
import type { EventMeta, EventRecord, SessionRecord } from '../model/records.ts';
import { makeEvent } from './fixtures.ts';

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A `meta` as vite-plugin-monitor 1.7 sends it once `setUser` gave attributes. */
export function monitorMeta(route: string, overrides: Partial<EventMeta> = {}): EventMeta {
  return {
    userAgent: USER_AGENT,
    route,
    viewport: '1280x720',
    language: 'en-US',
    referrer: 'https://search.example/?q=skopos',
    buildVersion: '1.0.0',
    userAttributes: { plan: 'pro', seats: 3, beta: true, tags: ['a', 'b'], manager: null },
    ...overrides,
  };
}

/**
 * One payload per monitor type, shaped like vite-plugin-monitor's real traffic (nested objects, arrays,
 * numbers, booleans and null), so a store that flattens or stringifies them loses something.
 */
const PAYLOADS: Record<MonitorEventType, Record<string, unknown>> = {
  click: {
    tag: 'button',
    text: 'Buy now',
    id: 'btn-buy',
    classes: 'btn primary',
    xpath: '/html/body/button[1]',
    coordinates: { x: 41, y: 90 },
  },
  http: { method: 'POST', url: 'https://api.a.example/cart', status: 201, duration: 34.5 },
  error: {
    message: 'Uncaught TypeError: cart is undefined',
    stack: 'TypeError: cart is undefined\n    at addToCart (https://a.example/assets/app.js:8:28)',
    filename: 'https://a.example/assets/app.js',
    lineno: 8,
    colno: 28,
    errorType: 'TypeError',
  },
  navigation: { from: '/', to: '/pricing', trigger: 'pushState', duration: 1 },
  console: {
    method: 'warn',
    message: 'low stock',
    args: [
      { type: 'string', value: 'low stock' },
      { type: 'object', value: { left: 2, restock: null, ok: false } },
    ],
    groupDepth: 0,
  },
  custom: { name: 'checkout:step', data: { step: 1, cart: 3 } },
  session: { action: 'start', trigger: 'init' },
};

/**
 * An event of vite-plugin-monitor's `type` with every field of the 0.2 model set, as the pipeline
 * stores it (a `custom` keeps its name and data also as `eventName`/`eventData`, an `error` its
 * message as `eventName`).
 */
export function monitorEvent(
  session: SessionRecord,
  type: MonitorEventType,
  overrides: Partial<EventRecord> = {},
): EventRecord {
  const payload = PAYLOADS[type];
  const at = overrides.timestamp ?? session.startedAt;
  const path = type === 'navigation' ? '/pricing' : '/cart';
  const event = makeEvent(session, {
    type,
    path,
    timestamp: at,
    receivedAt: at + 250,
    appId: 'my-app',
    level: type === 'error' ? 'error' : type === 'console' ? 'warn' : 'info',
    clientSessionId: 'sess_3a7eed26-bdea-46c9-961c-c626f3a9d5e6',
    userId: 'user-42',
    groupId: 'grp_checkout_1_mx5ce9yg',
    context: { tenant: 'acme', abVariant: 'B', flags: { dark: true } },
    payload,
    meta: monitorMeta(path),
  });
  if (type === 'custom') {
    event.eventName = 'checkout:step';
    event.eventData = { step: 1, cart: 3 };
  } else if (type === 'error') {
    event.eventName = 'Uncaught TypeError: cart is undefined';
  }
  return { ...event, ...overrides };
}

/**
 * One event of every stored type, one second apart from the session start: Skopos' own
 * `pageView`, `custom` and `jsError` as the 0.2 pipeline stores them (receive time, appId, level),
 * then every vite-plugin-monitor type with every field, one of them with a clock the server did
 * not believe.
 */
export function everyTypeEvents(session: SessionRecord): EventRecord[] {
  const at = (i: number): number => session.startedAt + i * 1_000;
  const skopos: EventRecord[] = [
    makeEvent(session, {
      path: '/pricing',
      timestamp: at(0),
      receivedAt: at(0) + 40,
      appId: 'my-app',
      level: 'info',
    }),
    makeEvent(session, {
      type: 'custom',
      path: '/signup',
      eventName: 'signup',
      eventData: { plan: 'pro', seats: 3 },
      timestamp: at(1),
      receivedAt: at(1) + 40,
      appId: 'my-app',
      level: 'info',
    }),
    makeEvent(session, {
      type: 'jsError',
      path: '/checkout',
      eventName: 'TypeError: boom',
      eventData: { errorHash: 'f00dfeed' },
      timestamp: at(2),
      receivedAt: at(2) + 40,
      appId: 'my-app',
      level: 'error',
    }),
  ];
  const types: MonitorEventType[] = ['click', 'http', 'error', 'navigation', 'console', 'custom', 'session'];
  const monitor = types.map((type, i) => monitorEvent(session, type, { timestamp: at(3 + i) }));
  // The client's clock was off: the server's receive time became the event time.
  const adjusted = monitorEvent(session, 'session', {
    timestamp: at(10),
    receivedAt: at(10),
    clockAdjusted: true,
    payload: { action: 'end', trigger: 'userId-change', previousUserId: 'anon_6b25476e' },
  });
  return [...skopos, ...monitor, adjusted];
}
