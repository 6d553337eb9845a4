import type { EventQuery, Stats, StatsQuery } from '../model/query.ts';
import type {
  EventRecord,
  JsErrorDelta,
  SessionRecord,
  VisitorRecord,
  WebsiteConfig,
} from '../model/records.ts';
import type { WebsiteListener } from '../store/store.ts';
import type { StoreHarness } from './harness.ts';

/** Bugs the conformance suite must catch; each can be switched on in the reference store. */
export type StoreBug =
  | 'unknown-website-gives-first'
  | 'duplicate-events-on-retry'
  | 'append-session-rows'
  | 'overwrite-identify-fields'
  | 'replace-js-error-count'
  | 'ignore-discarded-sessions'
  | 'until-inclusive'
  | 'paging-repeats-last-event'
  | 'last-secret-wins'
  | 'watch-ignores-unsubscribe';

/**
 * A small, obviously correct store on Maps and arrays (test fixture only): the suite's happy path,
 * and with `bugs` the broken variants the suite must reject.
 */
export function referenceHarness(websites: WebsiteConfig[], bugs: StoreBug[] = []): StoreHarness {
  const bug = (name: StoreBug): boolean => bugs.includes(name);
  const sites = new Map(websites.map((site) => [site.trackingId, { ...site }]));
  const visitors = new Map<string, VisitorRecord>();
  let sessions: SessionRecord[] = [];
  let events: EventRecord[] = [];
  const jsErrors = new Map<string, JsErrorDelta>();
  const secrets = new Map<string, string>();
  const listeners = new Map<string, Set<WebsiteListener>>();

  const matching = (q: EventQuery | StatsQuery): EventRecord[] =>
    events.filter(
      (e) =>
        (q.website === undefined || e.website === q.website) &&
        (q.since === undefined || e.timestamp >= q.since) &&
        (q.until === undefined || (bug('until-inclusive') ? e.timestamp <= q.until : e.timestamp < q.until)),
    );
  const countBy = (keys: string[], top: number) => {
    const counts = new Map<string, number>();
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return [...counts]
      .map(([key, count]) => ({ key, count }))
      .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
      .slice(0, top);
  };

  return {
    store: {
      name: 'reference',
      getWebsite: (trackingId) =>
        sites.get(trackingId) ?? (bug('unknown-website-gives-first') ? (websites[0] ?? null) : null),
      write(batch) {
        for (const v of batch.visitors) {
          const prev = visitors.get(v.id);
          const defined = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined));
          visitors.set(v.id, prev && !bug('overwrite-identify-fields') ? { ...prev, ...defined } : { ...v });
        }
        for (const s of batch.sessions) {
          const at = sessions.findIndex((row) => row.id === s.id);
          if (at === -1 || bug('append-session-rows')) sessions.push({ ...s });
          else sessions[at] = { ...s };
        }
        for (const e of batch.events) {
          if (bug('duplicate-events-on-retry') || !events.some((row) => row.id === e.id))
            events.push({ ...e });
        }
        for (const d of batch.jsErrors) {
          const key = `${d.website}\u0000${d.errorHash}`;
          const prev = jsErrors.get(key);
          if (!prev || bug('replace-js-error-count')) jsErrors.set(key, { ...(prev ?? d), count: d.count });
          else {
            prev.count += d.count;
            prev.firstSeen = Math.min(prev.firstSeen, d.firstSeen);
            prev.lastSeen = Math.max(prev.lastSeen, d.lastSeen);
          }
        }
        if (bug('ignore-discarded-sessions')) return;
        const gone = new Set(batch.discardedSessions);
        sessions = sessions.filter((s) => !gone.has(s.id));
        events = events.filter((e) => !gone.has(e.session));
      },
      query(q) {
        const sign = q.order === 'desc' ? -1 : 1;
        // Array.prototype.sort is stable, so ties keep insertion order and offsets stay valid.
        const rows = matching(q)
          .filter((e) => q.type === undefined || e.type === q.type)
          .sort((a, b) => sign * (a.timestamp - b.timestamp));
        const offset = Number(q.cursor ?? 0);
        const end = offset + (q.limit ?? 1000);
        const next = bug('paging-repeats-last-event') ? end - 1 : end;
        return {
          events: rows.slice(offset, end),
          total: rows.length,
          ...(end < rows.length ? { nextCursor: String(next) } : {}),
        };
      },
      stats(q): Stats {
        const rows = matching(q);
        const views = rows.filter((e) => e.type === 'pageView');
        const sessionIds = new Set(rows.map((e) => e.session));
        const visitorIds = new Set(sessions.filter((s) => sessionIds.has(s.id)).map((s) => s.visitor));
        const none = { bounceRate: 0, avgDuration: 0, activeNow: 0, series: [], jsErrors: [] };
        const empty = { referrers: [], utmSources: [], countries: [], browsers: [], os: [], devices: [] };
        const top = q.top ?? 10;
        const topPages = countBy(
          views.map((e) => e.path),
          top,
        );
        const eventNames = countBy(
          rows.filter((e) => e.type === 'custom').map((e) => e.eventName),
          top,
        );
        return {
          ...none,
          ...empty,
          topPages,
          eventNames,
          pageviews: views.length,
          events: rows.length,
          sessions: sessionIds.size,
          visitors: visitorIds.size,
        };
      },
      getVisitor: (website, visitorId) =>
        [...visitors.values()].find((v) => v.website === website && v.visitorId === visitorId) ?? null,
      ensureSecret(key, value) {
        if (!secrets.has(key) || bug('last-secret-wins')) secrets.set(key, value);
        return secrets.get(key) ?? value;
      },
      watchWebsite(trackingId, listener) {
        const set = listeners.get(trackingId) ?? new Set<WebsiteListener>();
        listeners.set(trackingId, set.add(listener));
        return () => {
          if (!bug('watch-ignores-unsubscribe')) set.delete(listener);
        };
      },
      close() {},
    },
    readSessions: (website) => sessions.filter((s) => s.website === website),
    readVisitors: (website) => [...visitors.values()].filter((v) => v.website === website),
    readJsErrors: (website) => [...jsErrors.values()].filter((d) => d.website === website),
    updateWebsite(trackingId, patch) {
      const current = sites.get(trackingId);
      if (current === undefined) return;
      const site = { ...current, ...patch };
      sites.set(trackingId, site);
      for (const listener of listeners.get(trackingId) ?? []) listener({ ...site });
    },
  };
}
