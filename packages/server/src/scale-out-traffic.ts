import { createSkopos, type Stats, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { BROWSER_HEADERS } from './test-support.ts';

/** The site every node serves, and the host its pages are on. */
export const SCALE_SITE = 'shop';
export const SCALE_HOST = 'shop.example';

/** One POST of a visitor: its events (each with an `eventId` and a client time). */
export interface VisitBatch {
  visitor: number;
  events: Record<string, unknown>[];
}

/** The client address of visitor `v` (the nodes trust X-Forwarded-For from loopback). */
export const visitorIp = (v: number): string => `198.51.${(v >> 8) & 255}.${v & 255}`;

/**
 * Visits of four kinds, each event on a path of its own (so that "every acknowledged event is
 * stored" can be checked path by path): a bounce (one page), a reader (one page, engaged by 12 s of
 * visible time), a shopper (3 pages, a custom event, a JS error) and two pages. Events are 3–20 s
 * apart by the client's clock and come as 1–2 events per POST, as a tracker flushing would.
 */
export function visits(count: number, start: number): VisitBatch[][] {
  return Array.from({ length: count }, (_, v) => {
    let at = start + v * 1_000;
    const event = (i: number, fields: Record<string, unknown>) => {
      at += 3_000 + ((v * 7 + i * 13) % 18) * 1_000;
      const path = `/v${v}/e${i}`;
      return {
        siteId: SCALE_SITE,
        url: `https://${SCALE_HOST}${path}`,
        eventId: `v${v}-e${i}`,
        ts: at,
        ...fields,
      };
    };
    const page = (i: number) => event(i, { type: 'pageView' });
    const kind = v % 4;
    const events =
      kind === 0
        ? [page(0)]
        : kind === 1
          ? [page(0), event(1, { type: 'engagement', duration: 12 })]
          : kind === 2
            ? [
                page(0),
                page(1),
                event(2, { type: 'custom', name: 'add_to_cart' }),
                event(3, { type: 'jsError', errorMessage: 'boom' }),
                page(4),
              ]
            : [page(0), page(1)];
    const batches: VisitBatch[] = [];
    for (let i = 0; i < events.length; i += 1 + ((v + i) % 2)) {
      batches.push({ visitor: v, events: events.slice(i, i + 1 + ((v + i) % 2)) });
    }
    return batches;
  });
}

/** The figures a user compares between one node and four. */
export function statsFacts(stats: Stats) {
  return {
    visitors: stats.visitors,
    sessions: stats.sessions,
    pageviews: stats.pageviews,
    events: stats.events,
    bounceRate: Number(stats.bounceRate.toFixed(6)),
    avgDuration: Number(stats.avgDuration.toFixed(3)),
    eventNames: stats.eventNames,
    jsErrors: stats.jsErrors.map((error) => error.count),
  };
}

/** The same visits through one in-process pipeline: what a single node would count. */
export async function singleNodeStats(all: VisitBatch[][], range: { since: number; until: number }) {
  const store = memoryStore({ websites: [{ trackingId: SCALE_SITE, domain: SCALE_HOST }] });
  const skopos = createSkopos({ store, logger: silentLogger, batch: false, jsErrorBatchInterval: 0 });
  const longest = Math.max(...all.map((batches) => batches.length));
  for (let i = 0; i < longest; i += 1) {
    for (const batches of all) {
      const batch = batches[i];
      if (batch === undefined) continue;
      const request = { remoteAddress: visitorIp(batch.visitor), headers: BROWSER_HEADERS };
      for (const payload of batch.events) await skopos.track({ siteId: SCALE_SITE, payload, request });
    }
  }
  await skopos.flush();
  await skopos.flushJsErrors();
  const site = store.getWebsite(SCALE_SITE);
  if (site === null) throw new Error('the reference store lost its site');
  const stats = store.stats({ website: site.id, since: range.since, until: range.until });
  await skopos.shutdown();
  return statsFacts(stats);
}
