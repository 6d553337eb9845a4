import { mergeErrorPages } from '../../js-errors/error-pages.ts';
import type { EventPage, EventQuery } from '../../model/query.ts';
import type {
  EventRecord,
  JsErrorDelta,
  SessionRecord,
  VisitorRecord,
  WebsiteConfig,
} from '../../model/records.ts';
import type { WriteBatch } from '../../model/write-batch.ts';
import type { Store, WebsiteListener } from '../../store/store.ts';
import { makeWebsite } from '../../testing/fixtures.ts';
import { idFromKey } from '../../util/ids.ts';

/** Test double for pipeline tests: keeps rows in maps, counts writes, can fail on demand. */
export interface RecordingStore extends Store {
  events: EventRecord[];
  sessions: Map<string, SessionRecord>;
  visitors: Map<string, VisitorRecord>;
  jsErrors: Map<string, JsErrorDelta>;
  writes: WriteBatch[];
  /** The ids of each `knownEvents` call (with that capability). */
  lookups: string[][];
  /** Make the next n writes throw. */
  failNext(n: number): void;
  setWebsite(trackingId: string, patch: Partial<WebsiteConfig>): void;
}

export function website(trackingId: string, patch: Partial<WebsiteConfig> = {}): WebsiteConfig {
  return makeWebsite({ id: idFromKey(`website:${trackingId}`), trackingId, name: trackingId, ...patch });
}

export function recordingStore(
  sites: WebsiteConfig[],
  capabilities: {
    watch?: boolean;
    secrets?: boolean;
    visitors?: boolean;
    findSession?: boolean;
    knownEvents?: boolean;
  } = {},
): RecordingStore {
  const websites = new Map(sites.map((s) => [s.trackingId, s]));
  const listeners = new Map<string, Set<WebsiteListener>>();
  const secrets = new Map<string, string>();
  let failures = 0;
  const store: RecordingStore = {
    name: 'recording',
    sessionRevisions: true,
    events: [],
    sessions: new Map(),
    visitors: new Map(),
    jsErrors: new Map(),
    writes: [],
    lookups: [],
    failNext(n) {
      failures = n;
    },
    setWebsite(trackingId, patch) {
      const next = { ...(websites.get(trackingId) ?? website(trackingId)), ...patch };
      websites.set(trackingId, next);
      for (const listener of listeners.get(trackingId) ?? []) listener(next);
    },
    getWebsite: (trackingId) => websites.get(trackingId) ?? null,
    async write(batch) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('store is down');
      }
      store.writes.push(structuredClone(batch));
      for (const v of batch.visitors) store.visitors.set(v.id, { ...store.visitors.get(v.id), ...v });
      for (const s of batch.sessions) {
        const held = store.sessions.get(s.id)?.revision;
        if (held === undefined || (s.revision !== undefined && held <= s.revision))
          store.sessions.set(s.id, { ...s });
      }
      const known = new Set(store.events.map((e) => e.id));
      for (const e of batch.events) if (!known.has(e.id)) store.events.push({ ...e });
      for (const d of batch.jsErrors) {
        const key = `${d.website}:${d.errorHash}`;
        const prev = store.jsErrors.get(key);
        store.jsErrors.set(
          key,
          prev
            ? {
                ...prev,
                count: prev.count + d.count,
                lastSeen: d.lastSeen,
                pages: mergeErrorPages(prev.pages, d.pages),
              }
            : { ...d },
        );
      }
      for (const id of batch.discardedSessions) {
        store.sessions.delete(id);
        store.events = store.events.filter((e) => e.session !== id);
      }
    },
    query(q: EventQuery): EventPage {
      const events = store.events.filter(
        (e) =>
          (q.since === undefined || e.timestamp >= q.since) &&
          (q.until === undefined || e.timestamp < q.until),
      );
      return { events, total: events.length };
    },
  };
  if (capabilities.watch) {
    store.watchWebsite = (trackingId, listener) => {
      const set = listeners.get(trackingId) ?? new Set();
      set.add(listener);
      listeners.set(trackingId, set);
      return () => void set.delete(listener);
    };
  }
  if (capabilities.secrets !== false) {
    store.ensureSecret = (key, value) => {
      if (!secrets.has(key)) secrets.set(key, value);
      return secrets.get(key) as string;
    };
  }
  if (capabilities.findSession) {
    store.findSession = (site, visitor, since) => {
      const rows = [...store.sessions.values()].filter(
        (row) => row.website === site && row.visitor === visitor && row.lastActivityAt >= since,
      );
      rows.sort((a, b) => b.lastActivityAt - a.lastActivityAt);
      return rows[0] ? { ...rows[0] } : null;
    };
  }
  if (capabilities.knownEvents) {
    store.knownEvents = (site, ids) => {
      store.lookups.push([...ids]);
      const wanted = new Set(ids);
      const rows = store.events.filter((e) => e.website === site && wanted.has(e.id));
      return new Map(rows.map((e) => [e.id, e.session]));
    };
  }
  if (capabilities.visitors) {
    store.getVisitor = (site, visitorId) =>
      [...store.visitors.values()].find((v) => v.website === site && v.visitorId === visitorId) ?? null;
  }
  return store;
}
