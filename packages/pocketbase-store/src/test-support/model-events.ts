import { type EventRecord, MONITOR_EVENT_TYPES, type SessionRecord, SKOPOS_EVENT_TYPES } from '@skopos/core';
import { makeEvent } from '@skopos/core/testing';

/** Every type a 0.2 store keeps: Skopos' own and vite-plugin-monitor's (core's vocabulary). */
export const EVENT_TYPES: readonly string[] = [...new Set([...SKOPOS_EVENT_TYPES, ...MONITOR_EVENT_TYPES])];

/**
 * An event of `type` with every field of the 0.2 model set (the payload holds HTML, which
 * PocketBase 0.30 would store escaped if it were sent as an object), `i` seconds into `session`.
 */
export function fullEvent(session: SessionRecord, type: string, i: number): EventRecord {
  const at = session.startedAt + i * 1_000;
  return makeEvent(session, {
    type,
    path: `/page-${i}`,
    eventName: type === 'custom' ? 'checkout:step' : '',
    eventData: { step: i, nested: { ok: true, none: null } },
    timestamp: at,
    receivedAt: at + 120,
    clockAdjusted: true,
    appId: 'my-app',
    level: i % 2 === 0 ? 'warn' : 'debug',
    clientSessionId: `sess_${type}`,
    userId: 'user-42',
    groupId: 'grp_1',
    context: { tenant: 'acme', flags: [1, 'two', false] },
    payload: { html: `<b class="x">${type} & more</b>`, n: i, list: [{ a: 1 }, null] },
    meta: {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      route: `/page-${i}`,
      viewport: '1280x720',
      language: 'en-US',
      referrer: 'https://search.example/?q=a&b=c',
      buildVersion: '1.0.0',
      userAttributes: { plan: 'pro', seats: 3 },
    },
  });
}
