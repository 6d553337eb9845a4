import { describe, expect, it } from 'vitest';
import { eventTime } from './event-time.ts';
import { toReadEvent } from './read-event.ts';

const stored = {
  id: 'abcdefghijklmno',
  session: 'sessionid000001',
  website: 'website00000001',
  path: '/pricing',
  timestamp: Date.parse('2026-06-01T12:00:00.000Z'),
};

describe('toReadEvent', () => {
  it('gives events stored from the Skopos payload the peer fields its dashboard reads', () => {
    expect(toReadEvent({ ...stored, type: 'pageView', eventName: '' }, 'site')).toEqual({
      id: 'abcdefghijklmno',
      timestamp: '2026-06-01T12:00:00.000Z',
      level: 'info',
      type: 'pageView',
      appId: 'site',
      sessionId: 'sessionid000001',
      userId: '',
      payload: { to: '/pricing' },
      meta: { route: '/pricing' },
      session: 'sessionid000001',
      website: 'website00000001',
      path: '/pricing',
      eventName: '',
    });
    expect(toReadEvent({ ...stored, type: 'jsError', eventName: 'boom' })).toMatchObject({
      level: 'error',
      payload: { message: 'boom' },
    });
    expect(
      toReadEvent({ ...stored, type: 'custom', eventName: 'signup', eventData: { a: 1 } }),
    ).toMatchObject({
      payload: { name: 'signup', data: { a: 1 } },
      eventData: { a: 1 },
    });
  });

  it('keeps what a vite-plugin-monitor event carried, and says when the clock was not believed', () => {
    const read = toReadEvent({
      ...stored,
      type: 'click',
      eventName: '',
      appId: 'my-app',
      level: 'debug',
      clientSessionId: 'sess_1',
      userId: 'u1',
      groupId: 'g',
      context: { tenant: 'acme' },
      payload: { tag: 'button' },
      meta: { route: '/x?y=1', viewport: '1x1' },
      receivedAt: stored.timestamp,
      clockAdjusted: true,
    });
    expect(read).toMatchObject({
      appId: 'my-app',
      level: 'debug',
      sessionId: 'sess_1',
      userId: 'u1',
      groupId: 'g',
      context: { tenant: 'acme' },
      payload: { tag: 'button' },
      meta: { route: '/x?y=1', viewport: '1x1' },
      receivedAt: '2026-06-01T12:00:00.000Z',
      clockAdjusted: true,
    });
  });
});

describe('eventTime', () => {
  const skew = { pastMs: 1000, futureMs: 100 };
  it('believes the client within the skew, bounds included', () => {
    expect(eventTime(9000, 10_000, skew)).toEqual({ at: 9000, adjusted: false, clientTimed: true });
    expect(eventTime(10_100, 10_000, skew)).toEqual({ at: 10_100, adjusted: false, clientTimed: true });
    expect(eventTime(8999, 10_000, skew)).toEqual({ at: 10_000, adjusted: true, clientTimed: false });
    expect(eventTime(10_101, 10_000, skew)).toEqual({ at: 10_000, adjusted: true, clientTimed: false });
    expect(eventTime(Number.NaN, 10_000, skew)).toEqual({ at: 10_000, adjusted: true, clientTimed: false });
    expect(eventTime(undefined, 10_000, skew), 'no client time is not a wrong one').toEqual({
      at: 10_000,
      adjusted: false,
      clientTimed: false,
    });
  });
});
