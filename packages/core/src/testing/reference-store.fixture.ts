import { mergeErrorPages } from '../js-errors/error-pages.ts';
import { matchesEventFilters } from '../model/event-filter.ts';
import type { EventFilters, EventQuery, Stats } from '../model/query.ts';
import type {
  EventRecord,
  JsErrorDelta,
  SessionRecord,
  VisitorRecord,
  WebsiteConfig,
} from '../model/records.ts';
import { computeStats } from '../stats/compute-stats.ts';
import type { WebsiteListener } from '../store/store.ts';
import type { StoreHarness } from './harness.ts';

/** Bugs the conformance suite must catch; each can be switched on in the reference store. */
export type StoreBug =
  | 'unknown-website-gives-first'
  | 'duplicate-events-on-retry'
  | 'append-session-rows'
  | 'overwrite-identify-fields'
  | 'replace-js-error-count'
  | 'reapply-write-id'
  | 'ignore-discarded-sessions'
  | 'until-inclusive'
  | 'paging-repeats-last-event'
  | 'last-secret-wins'
  | 'watch-ignores-unsubscribe'
  | 'drop-new-event-fields'
  | 'drop-session-page-views'
  | 'replace-error-pages'
  | 'session-filter-client-only'
  | 'search-case-sensitive'
  | 'ignore-offset'
  | 'find-session-ignores-since'
  | 'known-events-any-website'
  | 'list-websites-ignores-limit'
  | 'navigation-not-a-page-view'
  | 'offset-cursor'
  | 'stats-skip-session-fields'
  | 'stats-range-rows-only'
  | 'lower-revision-replaces'
  | 'cap-without-cursor';

/** `eventSearchText` without lower-casing. */
function caseSensitiveText(e: EventRecord): string {
  const parts = [e.path, e.eventName, e.type, e.level ?? '', e.userId ?? '', e.clientSessionId ?? ''];
  parts.push(e.groupId ?? '', JSON.stringify([e.payload, e.meta, e.context, e.eventData]));
  return parts.join('\n');
}

/** What a store written for Skopos 0.1 keeps of an event. */
function legacyFields(e: EventRecord): EventRecord {
  const { id, session, website, type, path, eventName, eventData, timestamp } = e;
  return { id, session, website, type, path, eventName, timestamp, ...(eventData ? { eventData } : {}) };
}

/** A session row as a store without the 0.2 `pageViews` column reads it back. */
function withoutPageViews(s: SessionRecord): SessionRecord {
  const { pageViews: _dropped, ...row } = s;
  return row as SessionRecord;
}

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
  /** Write order of each event id, the tiebreak of equal timestamps. */
  const seq = new Map<string, number>();
  const jsErrors = new Map<string, JsErrorDelta>();
  const appliedWrites = new Set<string>();
  const secrets = new Map<string, string>();
  const listeners = new Map<string, Set<WebsiteListener>>();

  const matching = (q: EventQuery): EventRecord[] =>
    events.filter(
      (e) =>
        (q.website === undefined || e.website === q.website) &&
        (q.since === undefined || e.timestamp >= q.since) &&
        (q.until === undefined || (bug('until-inclusive') ? e.timestamp <= q.until : e.timestamp < q.until)),
    );
  const filtered = (e: EventRecord, q: EventQuery): boolean => {
    const { sessionId, search, ...rest } = q;
    const filters: EventFilters = { ...rest };
    if (sessionId !== undefined) {
      if (!bug('session-filter-client-only')) filters.sessionId = sessionId;
      else if (e.clientSessionId !== sessionId) return false;
    }
    if (search !== undefined) {
      if (!bug('search-case-sensitive')) filters.search = search;
      else if (!caseSensitiveText(e).includes(search)) return false;
    }
    return matchesEventFilters(e, filters);
  };

  return {
    store: {
      name: 'reference',
      sessionRevisions: true,
      getWebsite: (trackingId) =>
        sites.get(trackingId) ?? (bug('unknown-website-gives-first') ? (websites[0] ?? null) : null),
      listWebsites: (limit) =>
        [...sites.values()]
          .sort((a, b) => (a.trackingId < b.trackingId ? -1 : 1))
          .slice(0, bug('list-websites-ignores-limit') ? undefined : limit),
      write(batch) {
        for (const v of batch.visitors) {
          const prev = visitors.get(v.id);
          const defined = Object.fromEntries(Object.entries(v).filter(([, value]) => value !== undefined));
          visitors.set(v.id, prev && !bug('overwrite-identify-fields') ? { ...prev, ...defined } : { ...v });
        }
        for (const s of batch.sessions) {
          const at = sessions.findIndex((row) => row.id === s.id);
          const row = bug('drop-session-page-views') ? withoutPageViews(s) : { ...s };
          const held = sessions[at]?.revision;
          const stale = held !== undefined && (s.revision === undefined || held > s.revision);
          if (at === -1 || bug('append-session-rows')) sessions.push(row);
          else if (!stale || bug('lower-revision-replaces')) sessions[at] = row;
        }
        for (const e of batch.events) {
          if (bug('duplicate-events-on-retry') || !events.some((row) => row.id === e.id)) {
            events.push(bug('drop-new-event-fields') ? legacyFields(e) : { ...e });
            seq.set(e.id, seq.size + 1);
          }
        }
        const replayed = batch.writeId !== undefined && appliedWrites.has(batch.writeId);
        if (batch.writeId !== undefined && batch.jsErrors.length > 0) appliedWrites.add(batch.writeId);
        for (const d of replayed && !bug('reapply-write-id') ? [] : batch.jsErrors) {
          const key = `${d.website}\u0000${d.errorHash}`;
          const prev = jsErrors.get(key);
          if (!prev || bug('replace-js-error-count')) {
            jsErrors.set(key, { ...(prev ?? d), count: d.count, pages: [...(prev ?? d).pages] });
          } else {
            prev.pages = bug('replace-error-pages') ? [...d.pages] : mergeErrorPages(prev.pages, d.pages);
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
        // Ties keep write order (`seq`), so (timestamp, seq) is a total order a cursor can resume from.
        const keyOf = (e: EventRecord): [number, number] => [e.timestamp, seq.get(e.id) ?? 0];
        const compare = ([ta, sa]: [number, number], [tb, sb]: [number, number]): number =>
          sign * (ta - tb) || sa - sb;
        const rows = matching(q)
          .filter((e) => filtered(e, q))
          .sort((a, b) => compare(keyOf(a), keyOf(b)));
        const limit = q.limit ?? 1000;
        const start = bug('ignore-offset') ? 0 : (q.offset ?? 0);
        let page: EventRecord[];
        if (bug('offset-cursor')) {
          // The cursor as the absolute position of the next event: writes between pages shift it.
          const offset = q.cursor === undefined ? start : Number(q.cursor);
          page = rows.slice(offset, offset + limit);
          const end = offset + page.length;
          return {
            events: page,
            total: rows.length,
            ...(end < rows.length ? { nextCursor: String(end) } : {}),
          };
        }
        // A page cap of the store's own that decides `nextCursor` from the limit asked, not the page cut.
        const size = bug('cap-without-cursor') ? Math.min(limit, 1000) : limit;
        if (q.cursor === undefined) page = rows.slice(start, start + size);
        else {
          const [timestamp = 0, order = 0] = q.cursor.split(':').map(Number);
          page = rows.filter((e) => compare(keyOf(e), [timestamp, order]) > 0).slice(0, size);
        }
        const last = bug('paging-repeats-last-event') && page.length > 1 ? page.at(-2) : page.at(-1);
        const more =
          last !== undefined && page.length === limit && rows.some((e) => compare(keyOf(e), keyOf(last)) > 0);
        return {
          events: page,
          total: rows.length,
          ...(more ? { nextCursor: keyOf(last).join(':') } : {}),
        };
      },
      stats(q): Stats {
        // `stats-range-rows-only`: errors by last seen in range, and only the sessions of the
        // range's events (a session kept alive by engagement signals is then never active now).
        const rangeOnly = bug('stats-range-rows-only');
        const seen = (d: JsErrorDelta) =>
          (q.website === undefined || d.website === q.website) &&
          (rangeOnly ? d.lastSeen < q.until : d.firstSeen < q.until) &&
          d.lastSeen >= q.since;
        const asStored = bug('navigation-not-a-page-view')
          ? events.map((e) => (e.type === 'navigation' ? { ...e, type: 'click' } : e))
          : events;
        const inRange = new Set(
          events.filter((e) => e.timestamp >= q.since && e.timestamp < q.until).map((e) => e.session),
        );
        const stats = computeStats({
          events: asStored,
          sessions: rangeOnly ? [...sessions].filter((row) => inRange.has(row.id)) : sessions,
          jsErrors: [...jsErrors.values()].filter(seen),
          query: q,
        });
        if (!bug('stats-skip-session-fields')) return stats;
        // A store that aggregates events only and leaves the session-derived figures as stubs.
        const none = { referrers: [], utmSources: [], countries: [], browsers: [], os: [], devices: [] };
        return { ...stats, ...none, avgDuration: -1, activeNow: 0, series: [] };
      },
      getVisitor: (website, visitorId) =>
        [...visitors.values()].find((v) => v.website === website && v.visitorId === visitorId) ?? null,
      findSession(website, visitor, since) {
        let latest: SessionRecord | null = null;
        for (const row of sessions) {
          if (row.website !== website || row.visitor !== visitor) continue;
          if (row.lastActivityAt < since && !bug('find-session-ignores-since')) continue;
          if (latest === null || row.lastActivityAt > latest.lastActivityAt) latest = row;
        }
        return latest === null ? null : { ...latest };
      },
      knownEvents(website, ids) {
        const wanted = new Set(ids);
        const held = events.filter(
          (e) => wanted.has(e.id) && (e.website === website || bug('known-events-any-website')),
        );
        return new Map(held.map((e) => [e.id, e.session]));
      },
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
