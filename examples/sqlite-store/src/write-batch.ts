import type { JsErrorDelta, VisitorRecord, WriteBatch } from '@skopos/core';
import { mergeErrorPages } from '@skopos/core';
import type { Database } from 'sql.js';
import { selectRecord } from './database.ts';

/** Only the fields a visitor row carries overwrite: an anonymous re-write never erases identify data. */
function definedFields<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const DAY_MS = 86_400_000;

/** Records the batch's `writeId`; false when it was recorded before (the batch was applied). */
function firstApplication(db: Database, batch: WriteBatch): boolean {
  if (batch.writeId === undefined || batch.jsErrors.length === 0) return true;
  const now = Date.now();
  db.run('INSERT OR IGNORE INTO applied_writes (write_id, at) VALUES (?, ?)', [batch.writeId, now]);
  if (db.getRowsModified() === 0) return false;
  db.run('DELETE FROM applied_writes WHERE at < ?', [now - DAY_MS]);
  return true;
}

export function applyBatch(db: Database, batch: WriteBatch): void {
  // The order references need: visitors → sessions → events → jsErrors → discardedSessions.
  for (const visitor of batch.visitors) {
    const old = selectRecord<VisitorRecord>(db, 'SELECT row FROM visitors WHERE id = ?', [visitor.id]);
    const row = JSON.stringify({ ...old, ...definedFields(visitor) });
    db.run('INSERT OR REPLACE INTO visitors (id, website, visitor_id, row) VALUES (?, ?, ?, ?)', [
      visitor.id,
      visitor.website,
      visitor.visitorId,
      row,
    ]);
  }
  for (const s of batch.sessions) {
    // A session row is always the full latest row: replace, never merge. Several ingest processes
    // (shared sessions) write one session's rows in any order: keep the highest revision.
    db.run(
      `INSERT INTO sessions (id, website, visitor, last_activity_at, revision, row) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET website = excluded.website, visitor = excluded.visitor,
         last_activity_at = excluded.last_activity_at, revision = excluded.revision, row = excluded.row
       WHERE sessions.revision IS NULL OR excluded.revision >= sessions.revision`,
      [s.id, s.website, s.visitor, s.lastActivityAt, s.revision ?? null, JSON.stringify(s)],
    );
  }
  for (const e of batch.events) {
    // The core retries a failed batch whole; an id already stored is skipped, never duplicated.
    db.run(
      'INSERT OR IGNORE INTO events (id, website, session, type, timestamp, row) VALUES (?, ?, ?, ?, ?, ?)',
      [e.id, e.website, e.session, e.type, e.timestamp, JSON.stringify(e)],
    );
  }
  // js-error counts add up: a batch retried after its answer was lost (it is the same batch, with
  // the same writeId) must add nothing. The id is recorded in the batch's transaction.
  const jsErrors = firstApplication(db, batch) ? batch.jsErrors : [];
  for (const delta of jsErrors) {
    const key = [delta.website, delta.errorHash];
    const old = selectRecord<JsErrorDelta>(
      db,
      'SELECT row FROM js_errors WHERE website = ? AND error_hash = ?',
      key,
    );
    // Deltas add up; message, stack, session and url stay those of the first sighting.
    const row: JsErrorDelta = old
      ? {
          ...old,
          count: old.count + delta.count,
          firstSeen: Math.min(old.firstSeen, delta.firstSeen),
          lastSeen: Math.max(old.lastSeen, delta.lastSeen),
          pages: mergeErrorPages(old.pages, delta.pages),
        }
      : delta;
    db.run(
      'INSERT OR REPLACE INTO js_errors (website, error_hash, first_seen, last_seen, row) VALUES (?, ?, ?, ?, ?)',
      [...key, row.firstSeen, row.lastSeen, JSON.stringify(row)],
    );
  }
  for (const id of batch.discardedSessions) {
    db.run('DELETE FROM events WHERE session = ?', [id]);
    db.run('DELETE FROM sessions WHERE id = ?', [id]);
  }
}
