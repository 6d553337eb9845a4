import type { UaParser } from '../detect/index.ts';
import type { GeoLookup, GeoResult } from '../geo/geo-lookup.ts';
import type { Logger } from '../logger.ts';
import type { EventTime } from '../mapping/event-time.ts';
import type { SessionRecord } from '../model/records.ts';
import type { WriteQueue } from '../queue/index.ts';
import type { LiveSession } from '../session/session-tracker.ts';
import type { Store } from '../store/store.ts';
import { idFromKey } from '../util/ids.ts';
import type { LruCache } from '../util/lru.ts';
import type { ClientFacts } from './client-rules.ts';
import type { PreparedEvent } from './prepared-event.ts';
import { newSession } from './session-factory.ts';
import type { CompiledSite } from './site-cache.ts';

/** `knownVisitors` value of a visitor known to exist whose row id was not looked up yet. */
export const UNRESOLVED = '';

/** The visitors row id: deterministic from (website, visitor hash), so two processes agree. */
export function visitorRecordId(website: string, visitorHash: string): string {
  return idFromKey(`visitor\u0000${website}\u0000${visitorHash}`);
}

export interface SessionOpenerDeps {
  store: Store;
  logger: Logger;
  queue: WriteQueue;
  geo: GeoLookup;
  uaParser: UaParser;
  sessionTimeoutMs: number;
  /**
   * Visitor rows this process wrote or saw (shared with the recorder), by core's record id: the id
   * of the row their sessions reference (core's own, or the one another writer picked), or
   * `UNRESOLVED` when only known to exist (an `identify`, a journal replay).
   */
  knownVisitors: LruCache<string, string>;
}

/**
 * Opens the session of a visitor who has none live here: continues the one the store holds (another
 * process's, or this one's before a restart), else starts a new row with the visitor's facts.
 */
export function createSessionOpener(deps: SessionOpenerDeps) {
  const { store, logger, queue, geo, uaParser, knownVisitors } = deps;
  async function lookupGeo(client: ClientFacts): Promise<GeoResult | null> {
    try {
      return await geo.lookup(client.ip, client.headers);
    } catch (error) {
      logger.debug(`geo lookup "${geo.name}" failed`, { error: String(error) });
      return null;
    }
  }

  /** Whether the visitor is new, and the id of its row that sessions reference. */
  async function visitorRow(
    website: string,
    visitorHash: string,
    recordId: string,
  ): Promise<{ isNew: boolean; ref: string }> {
    const known = knownVisitors.get(recordId);
    if (known !== undefined && known !== UNRESOLVED) return { isNew: false, ref: known };
    if (!store.getVisitor) return { isNew: known === undefined, ref: recordId };
    try {
      // A visitor another writer stored under its own record id (the original Skopos SDK let
      // PocketBase pick it): its sessions reference that row, as the original's did.
      const row = await store.getVisitor(website, visitorHash);
      const ref = row?.id ?? recordId;
      if (row !== null || known !== undefined) knownVisitors.set(recordId, ref);
      return { isNew: row === null && known === undefined, ref };
    } catch (error) {
      logger.debug('visitor lookup failed; treating the visitor as new', { error: String(error) });
      return { isNew: known === undefined, ref: recordId };
    }
  }

  async function openSession(website: string, visitor: string, since: number): Promise<SessionRecord | null> {
    if (!store.findSession) return null;
    try {
      const row = await store.findSession(website, visitor, since);
      // A short session this process expired and discarded stays in the store until the discard is
      // written; continued, its new events would be deleted with it after being counted stored.
      return row !== null && queue.discarding(row.id) ? null : row;
    } catch (error) {
      logger.debug('session lookup failed; starting a new session', { error: String(error) });
      return null;
    }
  }

  /** Opens in progress, whose rows are not queued yet (see `WriteQueue.acceptsRows`). */
  let opening = 0;

  async function createSession(...args: Parameters<typeof openLive>): Promise<LiveSession> {
    opening += 1;
    try {
      return await openLive(...args);
    } finally {
      opening -= 1;
    }
  }

  async function openLive(
    site: CompiledSite,
    client: ClientFacts,
    event: PreparedEvent,
    visitorHash: string,
    key: string,
    time: EventTime,
    receivedAt: number,
  ): Promise<LiveSession> {
    const website = site.config.id;
    const visitor = visitorRecordId(website, visitorHash);
    const since = Math.min(time.at, receivedAt) - deps.sessionTimeoutMs;
    const [{ isNew, ref }, geoResult, open] = await Promise.all([
      visitorRow(website, visitorHash, visitor),
      lookupGeo(client),
      openSession(website, visitor, since),
    ]);
    // Another process, or this one before a restart, may hold the visitor's session: continue it
    // (under the stored row's id for a visitor stored under another id).
    const continued = open ?? (ref === visitor ? null : await openSession(website, ref, since));
    const row = continued ?? newRow(site, client, event, visitor, ref, visitorHash, isNew, geoResult, time);
    return {
      row,
      key,
      trackingId: site.config.trackingId,
      lastSeen: receivedAt,
      visibleSeconds: 0,
      reportsVisibleTime: false,
    };
  }

  /** A new session's row; a visitor seen for the first time is queued too. */
  function newRow(
    site: CompiledSite,
    client: ClientFacts,
    event: PreparedEvent,
    visitor: string,
    /** The id of the visitor's stored row (`visitor` unless another writer picked it). */
    ref: string,
    visitorHash: string,
    isNew: boolean,
    geoResult: GeoResult | null,
    time: EventTime,
  ): SessionRecord {
    const website = site.config.id;
    if (isNew && !knownVisitors.has(visitor))
      queue.putVisitor({ id: visitor, website, visitorId: visitorHash });
    knownVisitors.set(visitor, ref);
    return newSession({
      website,
      visitor: ref,
      isNewVisitor: isNew,
      now: time.at,
      path: event.path,
      url: event.url,
      routeQuery: event.routeQuery,
      hostname: client.hostname,
      referrer: event.referrer,
      screenWidth: event.screenWidth,
      screenHeight: event.screenHeight,
      language: event.language,
      ua: uaParser.parse(client.userAgent),
      geo: geoResult,
      ipAddress: site.config.storeRawIp ? client.ip : undefined,
    });
  }

  return {
    open: createSession,
    /** Opens in progress: each may still put a visitor row, and its caller a session row. */
    get opening(): number {
      return opening;
    },
  };
}
