import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../model/records.ts';
import { makeSession, makeVisitor } from '../testing/fixtures.ts';
import { applyActivity } from './engagement.ts';
import { type LiveSession, SessionTracker } from './session-tracker.ts';

const MIN = 60_000;

function row(id: string, now: number): SessionRecord {
  return makeSession(makeVisitor('w'), {
    id,
    eventCount: 0,
    pageViews: 0,
    startedAt: now,
    lastActivityAt: now,
  });
}

const live = (id: string, now: number): LiveSession => ({
  row: row(id, now),
  trackingId: 't',
  lastSeen: now,
  visibleSeconds: 0,
  reportsVisibleTime: false,
});

describe('SessionTracker', () => {
  it('renews a session while events keep coming within the timeout, and starts a new one after', async () => {
    const tracker = new SessionTracker({ timeoutMs: 30 * MIN, maxSessions: 10 });
    let made = 0;
    const create = async () => live(`s${++made}`, 0);
    const first = await tracker.resolve('k', 0, create);
    applyActivity(first.session, { at: 0, path: '/', onPage: true, pageView: true, stored: true });
    const again = await tracker.resolve('k', 29 * MIN, create);
    expect(again).toMatchObject({ created: false, session: { row: { id: 's1' } } });
    applyActivity(again.session, { at: 29 * MIN, path: '/b', onPage: true, pageView: true, stored: true });
    again.session.lastSeen = 29 * MIN;
    const stillLive = await tracker.resolve('k', 58 * MIN, create);
    expect(stillLive.session.row.id).toBe('s1');
    const after = await tracker.resolve('k', 58 * MIN + 30 * MIN + 1, create);
    expect(after).toMatchObject({ created: true, session: { row: { id: 's2' } } });
  });

  it('creates exactly one session for 1000 concurrent first events of one visitor', async () => {
    const tracker = new SessionTracker({ timeoutMs: MIN, maxSessions: 10 });
    let made = 0;
    const create = () =>
      new Promise<LiveSession>((resolve) => setTimeout(() => resolve(live(`s${++made}`, 0)), 5));
    const results = await Promise.all(Array.from({ length: 1000 }, () => tracker.resolve('k', 0, create)));
    expect(made).toBe(1);
    expect(new Set(results.map((r) => r.session.row.id))).toEqual(new Set(['s1']));
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('a failed creation does not poison the key', async () => {
    const tracker = new SessionTracker({ timeoutMs: MIN, maxSessions: 10 });
    await expect(tracker.resolve('k', 0, () => Promise.reject(new Error('geo down')))).rejects.toThrow(
      'geo down',
    );
    const ok = await tracker.resolve('k', 0, async () => live('s', 0));
    expect(ok.created).toBe(true);
  });

  it('evicts the least recently active session when full', async () => {
    const tracker = new SessionTracker({ timeoutMs: 60 * MIN, maxSessions: 2 });
    await tracker.resolve('a', 0, async () => live('a', 0));
    await tracker.resolve('b', 1, async () => live('b', 1));
    await tracker.resolve('a', 2, async () => live('never', 2)); // touches a
    await tracker.resolve('c', 3, async () => live('c', 3)); // evicts b, the least recently active
    expect(tracker.find('a', 4)?.row.id).toBe('a');
    expect(tracker.find('b', 4)).toBeUndefined();
    expect(tracker.find('c', 4)?.row.id).toBe('c');
  });

  it('sweep ends idle sessions through onExpire, and only those', async () => {
    const expired: string[] = [];
    const tracker = new SessionTracker({
      timeoutMs: 10 * MIN,
      maxSessions: 10,
      onExpire: (s) => expired.push(s.row.id),
    });
    await tracker.resolve('old', 0, async () => live('old', 0));
    await tracker.resolve('new', 9 * MIN, async () => live('new', 9 * MIN));
    expect(tracker.sweep(10 * MIN + 1)).toBe(1);
    expect(expired).toEqual(['old']);
    expect(tracker.size).toBe(1);
  });

  it('sweeps when a session opens and a sweep is due, for runtimes that drop its timer (serverless isolates)', async () => {
    const expired: string[] = [];
    const tracker = new SessionTracker({
      timeoutMs: 10 * MIN,
      maxSessions: 10,
      onExpire: (s) => expired.push(s.row.id),
      sweepEveryMs: MIN,
    });
    await tracker.resolve('old', 0, async () => live('old', 0));
    await tracker.resolve('idle', 30_000, async () => live('idle', 30_000));
    // The first session swept (nothing to end) and set the next sweep a minute later: this one is past it.
    await tracker.resolve('early', 10 * MIN + 30_000, async () => live('early', 10 * MIN + 30_000));
    expect(expired).toEqual(['old']);
    // 'idle' is over now, but the next sweep is due a minute after the last one only.
    await tracker.resolve('late', 10 * MIN + 45_000, async () => live('late', 10 * MIN + 45_000));
    expect(expired).toEqual(['old']);
    await tracker.resolve('next', 11 * MIN + 30_000, async () => live('next', 11 * MIN + 30_000));
    expect(expired).toEqual(['old', 'idle']);
    expect(tracker.size).toBe(3);
    tracker.stopSweeping();
  });
});
