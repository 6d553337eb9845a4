import { SkoposError } from '../errors.ts';
import type { EventQuery, Stats, StatsQuery } from '../model/query.ts';
import type { Store } from '../store/store.ts';
import { EventTally } from './event-tally.ts';
import { finishStats } from './finish-stats.ts';

/** Events asked per page: stores answer fewer when they cap lower, and page on with `nextCursor`. */
const PAGE_SIZE = 1000;

/**
 * The core's fallback for stores without `stats`: pages through `store.query` (1000 events a page,
 * following `nextCursor`) and computes what events alone give: `events`, `pageviews`, `sessions`
 * (the distinct session ids of the events), `topPages`, `eventNames`, `series`, `types`, `levels`,
 * `http` and `navigation` (from the events' payloads). Figures that
 * need session rows or js_errors (`visitors`, `bounceRate`, `avgDuration`, `activeNow`, referrers,
 * UTM sources, countries, browsers, os, devices, `jsErrors`) are 0 or empty, and the answer says
 * `sessionsKnown: false` so that a dashboard shows them as unknown. Cost grows with the
 * range: implement `Store.stats` for large data.
 *
 * @example
 * const stats = store.stats ? await store.stats(query) : await statsFromQuery(store, query);
 */
export async function statsFromQuery(store: Pick<Store, 'query'>, query: StatsQuery): Promise<Stats> {
  const tally = new EventTally(query);
  const base: EventQuery = { since: query.since, until: query.until, limit: PAGE_SIZE };
  if (query.website !== undefined) base.website = query.website;
  let cursor: string | undefined;
  do {
    const page = await store.query(cursor === undefined ? base : { ...base, cursor });
    for (const event of page.events) tally.add(event);
    if (page.nextCursor !== undefined && (page.nextCursor === cursor || page.events.length === 0)) {
      // A cursor that does not advance would loop forever.
      throw new SkoposError(
        'store_failed',
        `[skopos/core] statsFromQuery: the store answered a cursor that does not advance; fix its query() paging`,
      );
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return finishStats(tally, query, null, []);
}
