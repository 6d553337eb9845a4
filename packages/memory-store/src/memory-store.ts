import type {
  EventPage,
  EventQuery,
  JsErrorDelta,
  SessionRecord,
  Stats,
  StatsQuery,
  Store,
  VisitorRecord,
  WebsiteConfig,
  WebsiteListener,
  WriteBatch,
} from '@skopos/core';
import { ODD_ID, packId } from './event-id-codec.ts';
import { EventRing } from './event-ring.ts';
import { Interner } from './interner.ts';
import { JsErrorTable } from './js-error-table.ts';
import { knownEvents } from './known-events.ts';
import { nativeStats } from './native-stats.ts';
import { type MemoryStoreOptions, resolveOptions, type WebsiteInput, type WebsitePatch } from './options.ts';
import { queryEvents } from './query-events.ts';
import { RecentIds } from './recent-ids.ts';
import { ScratchArrays } from './scratch-arrays.ts';
import { SessionTable } from './session-table.ts';
import { StatsScheduler } from './stats-scheduler.ts';
import { VisitorTable } from './visitor-table.ts';
import { WebsiteRegistry } from './website-registry.ts';

/** The memory store: every `Store` capability, answered synchronously, plus helpers for dev tools and tests. */
export interface MemoryStore extends Store {
  readonly name: 'memory';
  /** Always `false`: the events are gone after a restart. */
  readonly durable: false;
  /** Always `true`: a session row never goes back to a lower revision (shared sessions). */
  readonly sessionRevisions: true;
  getWebsite(trackingId: string): WebsiteConfig | null;
  listWebsites(limit: number): WebsiteConfig[];
  write(batch: WriteBatch): void;
  query(query: EventQuery): EventPage;
  stats(query: StatsQuery): Stats;
  getVisitor(website: string, visitorId: string): VisitorRecord | null;
  findSession(website: string, visitor: string, since: number): SessionRecord | null;
  knownEvents(website: string, ids: readonly string[]): Map<string, string>;
  ensureSecret(key: string, value: string): string;
  watchWebsite(trackingId: string, listener: WebsiteListener): () => void;
  close(): void;
  /** Register a site (replacing one with the same trackingId); watchers are told. */
  addWebsite(input: WebsiteInput): WebsiteConfig;
  /** Change a registered site; watchers are told. Throws `website_not_found` for an unknown one. */
  updateWebsite(trackingId: string, patch: WebsitePatch): WebsiteConfig;
  /** Session rows (of one website record id when given), least recently written first. */
  readSessions(website?: string): SessionRecord[];
  readVisitors(website?: string): VisitorRecord[];
  readJsErrors(website?: string): JsErrorDelta[];
  /** Events held now. */
  readonly size: number;
  /** Events pushed out because the buffer was full or their site at its quota. */
  readonly evicted: number;
  /** Events of one website (record id, as in events) held now and pushed out so far. */
  siteEvents(website: string): { held: number; evicted: number };
}

/**
 * The memory store made with `statsSlice`: `stats` counts in slices with a turn of the event loop
 * between them and answers a Promise (see `MemoryStoreOptions.statsSlice`).
 */
export interface YieldingMemoryStore extends Omit<MemoryStore, 'stats'> {
  stats(query: StatsQuery): Promise<Stats>;
}

/**
 * An in-memory `Store`: a columnar ring buffer of events (oldest evicted first), bounded session and
 * visitor tables, js-error rows, secrets and sites. The embedded default for dev servers, the Vite
 * middleware, tests and small single-process deployments; data does not survive a restart.
 *
 * @example
 * import { createSkopos } from '@skopos/core';
 * import { memoryStore } from '@skopos/memory-store';
 *
 * const store = memoryStore({ websites: [{ trackingId: 'my-site', domain: 'example.com' }] });
 * const skopos = createSkopos({ store });
 */
export function memoryStore(options: MemoryStoreOptions & { statsSlice: number }): YieldingMemoryStore;
export function memoryStore(options?: MemoryStoreOptions & { statsSlice?: undefined }): MemoryStore;
export function memoryStore(options: MemoryStoreOptions): MemoryStore | YieldingMemoryStore;
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore | YieldingMemoryStore {
  const resolved = resolveOptions(options);
  const values = new Interner();
  const visitorIds = new Interner();
  const clients = new Interner();
  const sessions = new SessionTable(resolved.maxSessions, values, visitorIds);
  const ring = new EventRing(resolved.maxBufferSize, resolved.maxEventsPerSite, values, clients, sessions);
  const recentIds = new RecentIds(resolved.dedupeWindow, ring, undefined, resolved.writerDedupes);
  const packed = new Float64Array(2);
  const visitors = new VisitorTable(resolved.maxVisitors);
  const jsErrors = new JsErrorTable();
  const sites = new WebsiteRegistry(options.websites ?? [], resolved.autoCreateWebsites);
  const secrets = new Map<string, string>();
  const statsSources = {
    ring,
    sessions,
    values,
    visitors: visitorIds,
    jsErrors,
    scratch: new ScratchArrays(),
  };
  const scheduler =
    resolved.statsSlice === undefined ? undefined : new StatsScheduler(statsSources, resolved.statsSlice);

  /** Tombstone every event of the discarded sessions (one pass for the whole list). */
  function discardSessions(ids: readonly string[]): void {
    const doomed = new Uint8Array(sessions.capacity);
    let any = false;
    for (const id of ids) {
      const slot = sessions.remove(id);
      // The slot survives the row only while events still reference it.
      if (slot >= 0 && sessions.idOf(slot) === id) {
        doomed[slot] = 1;
        any = true;
      }
    }
    if (any) ring.discardSessions(doomed);
  }

  function writeBatch(batch: WriteBatch): void {
    for (const visitor of batch.visitors) visitors.upsert(visitor);
    for (const session of batch.sessions) sessions.upsert(session);
    let confirmed = '';
    for (const event of batch.events) {
      packId(event.id, packed);
      const high = packed[0] ?? ODD_ID;
      const low = packed[1] ?? 0;
      if (!recentIds.seen(event.id, high, low)) recentIds.remember(ring.append(event, high, low));
      // Once per run of one site's events (a batch is mostly one site's).
      if (event.website !== confirmed) {
        sites.confirm(event.website, event.appId);
        confirmed = event.website;
      }
    }
    if (ring.heldChars > resolved.maxBufferBytes) ring.trimChars(resolved.maxBufferBytes);
    if (batch.jsErrors.length > 0) jsErrors.mergeBatch(batch.jsErrors, batch.writeId);
    if (batch.discardedSessions.length > 0) discardSessions(batch.discardedSessions);
  }

  const store: Omit<MemoryStore, 'stats'> & { stats(query: StatsQuery): Stats | Promise<Stats> } = {
    name: 'memory',
    // Nothing survives a restart: a journal must not take events an earlier run stored as still here.
    durable: false,
    sessionRevisions: true,
    getWebsite: (trackingId) => sites.get(trackingId),
    listWebsites: (limit) => sites.list(limit),
    write(batch) {
      try {
        writeBatch(batch);
      } catch (error) {
        // Its retry would add again the events it appended: from now on every id is checked.
        recentIds.wake();
        throw error;
      }
    },
    query: (query) => queryEvents({ ring, values, clients, sessions }, query),
    stats: (query: StatsQuery) =>
      scheduler === undefined ? nativeStats(statsSources, query) : scheduler.stats(query),
    getVisitor: (website, visitorId) => visitors.get(website, visitorId),
    findSession: (website, visitor, since) => sessions.findLatest(website, visitor, since),
    // For callers of the Store contract: the core does not ask a store that is not durable.
    knownEvents: (website, ids) => knownEvents(ring, values, sessions, website, ids),
    ensureSecret(key, value) {
      const stored = secrets.get(key);
      if (stored !== undefined) return stored;
      secrets.set(key, value);
      return value;
    },
    watchWebsite: (trackingId, listener) => sites.watch(trackingId, listener),
    close: () => sites.unwatchAll(),
    addWebsite: (input) => sites.add(input),
    updateWebsite: (trackingId, patch) => sites.update(trackingId, patch),
    readSessions(website) {
      const rows: SessionRecord[] = [];
      for (const slot of sessions.rowSlots()) {
        const row = sessions.row(slot);
        if (website === undefined || row.website === website) rows.push(row);
      }
      return rows;
    },
    readVisitors: (website) => visitors.list(website),
    readJsErrors: (website) => jsErrors.list(website),
    get size() {
      return ring.live;
    },
    get evicted() {
      return ring.evicted;
    },
    siteEvents: (website) => ring.sites.get(website),
  };
  return store as MemoryStore | YieldingMemoryStore;
}
