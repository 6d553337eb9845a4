import { createSkopos, type Stats, silentLogger } from '@skopos/core';
import { memoryStore } from '@skopos/memory-store';
import { visitEvents, visitPosts } from '@skopos/test-utils';
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
 * The scale-out visits (`visitEvents` of test-utils: bounce, reader, shopper, two pages), each
 * event on a path of its own (so that "every acknowledged event is stored" can be checked path by
 * path), 1–2 events per POST.
 */
export function visits(count: number, start: number): VisitBatch[][] {
  return Array.from({ length: count }, (_, v) => {
    const events = visitEvents(v, {
      start: start + v * 1_000,
      base: (i) => ({ siteId: SCALE_SITE, url: `https://${SCALE_HOST}/v${v}/e${i}`, eventId: `v${v}-e${i}` }),
    });
    return visitPosts(v, events).map((posted) => ({ visitor: v, events: posted }));
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
