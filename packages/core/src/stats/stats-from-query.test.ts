import { describe, expect, it } from 'vitest';
import type { EventPage, EventQuery } from '../model/query.ts';
import type { EventRecord } from '../model/records.ts';
import { computeStats } from './compute-stats.ts';
import { statsFromQuery } from './stats-from-query.ts';

const SINCE = Date.UTC(2024, 0, 15);
const UNTIL = SINCE + 86_400_000;

/** A store that only knows `query`, paging an array by offset like a simple third-party store. */
function arrayStore(events: EventRecord[]) {
  const calls: EventQuery[] = [];
  return {
    calls,
    query(query: EventQuery): EventPage {
      calls.push(query);
      const matches = events.filter(
        (e) =>
          (query.website === undefined || e.website === query.website) &&
          e.timestamp >= (query.since ?? 0) &&
          e.timestamp < (query.until ?? Number.POSITIVE_INFINITY),
      );
      const offset = Number(query.cursor ?? 0);
      const end = offset + Math.min(query.limit ?? 100, 1000);
      const page: EventPage = { events: matches.slice(offset, end), total: matches.length };
      if (end < matches.length) page.nextCursor = String(end);
      return page;
    },
  };
}

const events: EventRecord[] = Array.from({ length: 2500 }, (_, i) => ({
  id: `e${i}`,
  session: `s${i % 300}`,
  website: i % 10 === 0 ? 'other' : 'site',
  type: i % 4 === 0 ? 'custom' : 'pageView',
  path: `/p${i % 7}`,
  eventName: i % 4 === 0 ? `n${i % 3}` : '',
  timestamp: SINCE + i * 30_000,
}));

describe('statsFromQuery', () => {
  it('follows every page and gives the event-derived figures of computeStats', async () => {
    const store = arrayStore(events);
    const query = { website: 'site', since: SINCE, until: UNTIL };
    const stats = await statsFromQuery(store, query);
    expect(stats).toEqual(computeStats({ events, sessions: [], query, sessionsKnown: false }));
    expect(stats.events).toBe(events.filter((e) => e.website === 'site' && e.timestamp < UNTIL).length);
    expect(stats.sessions).toBeGreaterThan(0);
    expect(store.calls.map((call) => call.limit)).toEqual([1000, 1000, 1000]);
    expect(store.calls.every((call) => call.website === 'site')).toBe(true);
  });

  it('fails instead of looping when a store answers a cursor that does not advance', async () => {
    const stuck = { query: (): EventPage => ({ events: [], total: 5, nextCursor: 'again' }) };
    await expect(statsFromQuery(stuck, { since: SINCE, until: UNTIL })).rejects.toThrow(/does not advance/);
  });
});
