import type { JsErrorDelta, SessionRecord, Store, VisitorRecord, WebsiteConfig } from '@skopos/core';
import { idFromKey } from '@skopos/core';
import type { Database } from 'sql.js';
import { openDatabase, saveDatabase, selectAll, selectRecord, selectRecords } from './database.ts';
import { queryEvents, registerMatch } from './query-events.ts';
import { statsOf } from './stats.ts';
import { applyBatch } from './write-batch.ts';

export type WebsiteInput = Partial<WebsiteConfig> & { trackingId: string };

export interface SqliteStoreOptions {
  /** Database file, read at start and written back; omitted = in memory only. */
  file?: string;
  /** Sites to create or replace at start (config as code); sites already in the file stay. */
  websites?: WebsiteInput[];
  /**
   * How long after a write the file is saved (default 1000 ms). sql.js holds the database in memory,
   * so a crash loses what the last save did not cover. 0 saves before each `write` resolves: nothing
   * acknowledged is lost, at the cost of writing the whole file per batch.
   */
  saveDelayMs?: number;
}

/** The `Store` plus what the example and its tests use beyond the interface. */
export interface SqliteStore extends Store {
  /** Write the database file now (no-op in memory). */
  save(): void;
  readSessions(website: string): SessionRecord[];
  readVisitors(website: string): VisitorRecord[];
  readJsErrors(website: string): JsErrorDelta[];
}

function websiteFromInput(input: WebsiteInput): WebsiteConfig {
  const { trackingId } = input;
  return {
    // Derived from the tracking id, so restarting with the same config keeps the same site id.
    id: idFromKey(`website:${trackingId}`),
    name: trackingId,
    domain: '',
    disableLocalhostTracking: false,
    isArchived: false,
    ipBlacklist: [],
    storeRawIp: false,
    discardShortSessions: false,
    dataRetentionDays: 0,
    ...input,
  };
}

/**
 * A Skopos store on SQLite (sql.js: SQLite compiled to WebAssembly, no native build). Implements the
 * required methods and the `listWebsites`, `stats`, `getVisitor`, `findSession`, `knownEvents`, `ensureSecret` and
 * `close` capabilities; it leaves `watchWebsite` out (see the README).
 */
export async function sqliteStore(options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const { file, saveDelayMs = 1000 } = options;
  const db = await openDatabase(file);
  registerMatch(db);
  for (const site of (options.websites ?? []).map(websiteFromInput)) {
    db.run('INSERT OR REPLACE INTO websites (tracking_id, row) VALUES (?, ?)', [
      site.trackingId,
      JSON.stringify(site),
    ]);
  }
  let closed = false;
  let saveTimer: NodeJS.Timeout | undefined;
  const save = (): void => {
    clearTimeout(saveTimer);
    saveTimer = undefined;
    if (file !== undefined && !closed) saveDatabase(db, file);
  };
  const scheduleSave = (): void => {
    if (file === undefined) return;
    // One save per quiet period, not per batch: a save writes the whole database.
    if (saveDelayMs === 0) save();
    else saveTimer ??= setTimeout(save, saveDelayMs);
  };
  const open = (): Database => {
    // A closed sql.js database throws a cryptic error; name the cause instead. The core retries a
    // throwing write, which is right: nothing was stored.
    if (closed) throw new Error('[sqlite-store] the store is closed');
    return db;
  };
  const ofSite = <T>(table: string, website: string): T[] =>
    selectRecords<T>(open(), `SELECT row FROM ${table} WHERE website = ? ORDER BY rowid`, [website]);

  return {
    name: 'sqlite',
    sessionRevisions: true,
    getWebsite: (trackingId) =>
      selectRecord<WebsiteConfig>(open(), 'SELECT row FROM websites WHERE tracking_id = ?', [trackingId]),
    listWebsites: (limit) =>
      selectRecords<WebsiteConfig>(open(), 'SELECT row FROM websites ORDER BY tracking_id LIMIT ?', [limit]),
    write(batch) {
      open();
      // One transaction: a failed batch leaves nothing behind, so its retry cannot count js errors twice.
      db.run('BEGIN');
      try {
        applyBatch(db, batch);
        db.run('COMMIT');
      } catch (error) {
        db.run('ROLLBACK');
        throw error;
      }
      scheduleSave();
    },
    query: (query) => queryEvents(open(), query),
    stats: (query) => statsOf(open(), query),
    getVisitor: (website, visitorId) =>
      selectRecord<VisitorRecord>(open(), 'SELECT row FROM visitors WHERE website = ? AND visitor_id = ?', [
        website,
        visitorId,
      ]),
    findSession: (website, visitor, since) =>
      selectRecord<SessionRecord>(
        open(),
        `SELECT row FROM sessions WHERE website = ? AND visitor = ? AND last_activity_at >= ?
         ORDER BY last_activity_at DESC LIMIT 1`,
        [website, visitor, since],
      ),
    knownEvents(website, ids) {
      const known = new Map<string, string>();
      // Chunks below SQLite's oldest bound on parameters per statement (999).
      for (let at = 0; at < ids.length; at += 500) {
        const part = ids.slice(at, at + 500);
        const rows = selectAll(
          open(),
          `SELECT id, session FROM events WHERE website = ? AND id IN (${part.map(() => '?').join(', ')})`,
          [website, ...part],
        );
        for (const row of rows) known.set(String(row.id), String(row.session));
      }
      return known;
    },
    ensureSecret(key, value) {
      // First writer wins. Each call runs to completion (sql.js is synchronous), so two racing
      // callers cannot both insert; a server database would rely on the same INSERT OR IGNORE.
      open().run('INSERT OR IGNORE INTO secrets (key, value) VALUES (?, ?)', [key, value]);
      if (db.getRowsModified() > 0) scheduleSave();
      const [stored] = selectAll(db, 'SELECT value FROM secrets WHERE key = ?', [key]);
      return String(stored?.value ?? value);
    },
    close() {
      // Shutdown paths may close twice (signal handler and finally); the second call does nothing.
      if (closed) return;
      save();
      closed = true;
      db.close();
    },
    save,
    readSessions: (website) => ofSite<SessionRecord>('sessions', website),
    readVisitors: (website) => ofSite<VisitorRecord>('visitors', website),
    readJsErrors: (website) => ofSite<JsErrorDelta>('js_errors', website),
  };
}
