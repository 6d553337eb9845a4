import { describe, expect, it } from 'vitest';
import type { WebsiteConfig } from '../model/records.ts';
import { idFromKey } from '../util/ids.ts';
import { recordFromMonitorEvent } from './monitor-log.ts';
import { toReadEvent } from './read-event.ts';

const site = { id: idFromKey('website:my-app'), trackingId: 'my-app' } as WebsiteConfig;

const navigation = {
  timestamp: '2026-12-01T09:00:00.000Z',
  level: 'info',
  type: 'navigation',
  appId: 'my-app',
  sessionId: 'sess_1',
  userId: 'anon_1',
  payload: { from: '/', to: '/pricing?utm_source=x', trigger: 'pushState', duration: 12 },
  meta: { userAgent: 'Mozilla/5.0', route: '/', viewport: '1280x720', language: 'en' },
};

describe('recordFromMonitorEvent', () => {
  it('stores a logged event at its client time, on the site, read back as it was logged', () => {
    const event = recordFromMonitorEvent(navigation, site);
    expect(event).toMatchObject({
      website: site.id,
      appId: 'my-app',
      type: 'navigation',
      path: '/pricing',
      timestamp: Date.parse(navigation.timestamp),
      clientSessionId: 'sess_1',
    });
    const { meta: _meta, ...fields } = navigation;
    expect(toReadEvent(event as NonNullable<typeof event>)).toMatchObject({
      ...fields,
      meta: { route: '/' },
    });
  });

  it('gives the same event the same id and session, and other events others', () => {
    const once = recordFromMonitorEvent(navigation, site);
    const again = recordFromMonitorEvent(JSON.parse(JSON.stringify(navigation)), site);
    expect(again?.id).toBe(once?.id);
    expect(again?.session).toBe(once?.session);
    const later = recordFromMonitorEvent({ ...navigation, timestamp: '2026-12-01T09:00:01.000Z' }, site);
    expect(later?.id).not.toBe(once?.id);
    expect(later?.session).toBe(once?.session);
    const otherTab = recordFromMonitorEvent({ ...navigation, sessionId: 'sess_2' }, site);
    expect(otherTab?.session).not.toBe(once?.session);
  });

  it('answers undefined for what is not such an event, or has no readable time', () => {
    expect(recordFromMonitorEvent('a line', site)).toBeUndefined();
    expect(recordFromMonitorEvent({ ...navigation, type: 'nonsense' }, site)).toBeUndefined();
    expect(recordFromMonitorEvent({ ...navigation, timestamp: 'yesterday' }, site)).toBeUndefined();
    const { timestamp: _t, ...untimed } = navigation;
    expect(recordFromMonitorEvent(untimed, site)).toBeUndefined();
  });
});
