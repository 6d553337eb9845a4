import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';

/**
 * Records are kept whole as JSON in a `row` column, next to the few columns queries filter and sort
 * on: a field added to a record later round-trips without a migration, and the conformance case
 * "every field round-trips" passes by construction. A store for heavy dashboards would add columns.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS websites (tracking_id TEXT PRIMARY KEY, row TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS visitors (
  id TEXT PRIMARY KEY, website TEXT NOT NULL, visitor_id TEXT NOT NULL, row TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS visitors_by_key ON visitors (website, visitor_id);
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, website TEXT NOT NULL, visitor TEXT NOT NULL,
  last_activity_at INTEGER NOT NULL, revision INTEGER, row TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_by_visitor ON sessions (website, visitor, last_activity_at);
-- seq is the write order: the tiebreak of events sharing a millisecond, and half of the cursor.
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, website TEXT NOT NULL,
  session TEXT NOT NULL, type TEXT NOT NULL, timestamp INTEGER NOT NULL, row TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_time ON events (website, timestamp, seq);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session);
CREATE TABLE IF NOT EXISTS js_errors (
  website TEXT NOT NULL, error_hash TEXT NOT NULL, first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL, row TEXT NOT NULL, PRIMARY KEY (website, error_hash));
CREATE TABLE IF NOT EXISTS secrets (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The writeIds of the JS-error batches of the last day: a retried batch adds its counts once.
CREATE TABLE IF NOT EXISTS applied_writes (write_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS applied_writes_by_time ON applied_writes (at);
`;

/** Open `file` when it exists (else a new database), and make sure every table is there. */
export async function openDatabase(file: string | undefined): Promise<Database> {
  const SQL = await initSqlJs();
  const db =
    file !== undefined && existsSync(file) ? new SQL.Database(await readFile(file)) : new SQL.Database();
  db.exec(SCHEMA);
  return db;
}

/**
 * sql.js keeps the whole database in memory; persisting means writing a snapshot of it. Written to a
 * temporary file first and renamed over the old one, so a crash mid-write never leaves a torn file.
 */
export function saveDatabase(db: Database, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, db.export());
  renameSync(temporary, file);
}

/** Every row of `sql` as a plain object. */
export function selectAll(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const statement = db.prepare(sql, params);
  try {
    const rows: Record<string, SqlValue>[] = [];
    while (statement.step()) rows.push(statement.getAsObject());
    return rows;
  } finally {
    statement.free();
  }
}

/** The records of `sql`, which selects the JSON `row` column. */
export function selectRecords<T>(db: Database, sql: string, params: SqlValue[] = []): T[] {
  return selectAll(db, sql, params).map((row) => JSON.parse(String(row.row)) as T);
}

/** The first record of `sql`, or `null`. */
export function selectRecord<T>(db: Database, sql: string, params: SqlValue[] = []): T | null {
  return selectRecords<T>(db, sql, params)[0] ?? null;
}
