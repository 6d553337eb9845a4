import { SkoposError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventRecord } from '../model/records.ts';
import type { WriteQueue } from '../queue/index.ts';
import type { SessionTracker } from '../session/session-tracker.ts';
import type { Journal, JournalEntry, SessionResume } from './journal.ts';
import type { JournalSecrets } from './journal-secrets.ts';
import type { SessionJournal } from './session-journal.ts';
import { liveFromResume, resumeOf } from './session-resume.ts';

/** What a start replayed from the journal. */
export interface JournalRecovery {
  /** Events the store had not confirmed, queued again. */
  events: number;
  /** Rows, discards and JS-error deltas queued again. */
  records: number;
  /** Live sessions continued. */
  sessions: number;
  /** Events of the journal refused by a full queue (`drop-newest`): lost, and logged. */
  refused: number;
}

export interface KeeperDeps {
  journal: Journal;
  secrets: JournalSecrets;
  sessionJournal: SessionJournal;
  queue: WriteQueue;
  sessions: SessionTracker;
  sessionTimeoutMs: number;
  logger: Logger;
  /** A replayed or already-stored event: its re-send must be a duplicate. */
  rememberEvent(event: EventRecord): void;
  rememberVisitor(recordId: string): void;
}

/** The last checkpoint of a run: entries numbered up to these are stored. */
function checkpointOf(run: readonly JournalEntry[]): { main: number; js: number } {
  for (let i = run.length - 1; i >= 0; i--) {
    const entry = run[i] as JournalEntry;
    if (entry.k === 'stored') return { main: entry.main, js: entry.js };
  }
  return { main: 0, js: 0 };
}

/**
 * Keeps the journal in step with the pipeline: replays what an earlier run left (once, at start),
 * carries live sessions forward so that trimming never forgets them, and lets go of what the store
 * confirmed.
 */
export class JournalKeeper {
  readonly #deps: KeeperDeps;

  constructor(deps: KeeperDeps) {
    this.#deps = deps;
  }

  /** Queues again what earlier runs journaled and the store had not confirmed; continues their live sessions. */
  async recover(now: number): Promise<JournalRecovery> {
    const { journal, logger } = this.#deps;
    const runs = await journal.recover();
    const recovery: JournalRecovery = { events: 0, records: 0, sessions: 0, refused: 0 };
    const resumable = new Map<
      string,
      { row: JournalEntry & { k: 'session' | 'resume' }; r: SessionResume }
    >();
    for (const run of runs) {
      const stored = checkpointOf(run);
      for (const entry of run) {
        if (entry.k === 'stored') continue;
        if (entry.k === 'secret') {
          this.#deps.secrets.recovered(entry.key, entry.v);
          continue;
        }
        if ((entry.k === 'session' || entry.k === 'resume') && entry.r !== undefined) {
          resumable.set(entry.r.key, { row: entry, r: entry.r });
        }
        this.#replay(entry, stored, recovery);
      }
    }
    this.#deps.secrets.carry();
    recovery.sessions = this.#resume([...resumable.values()], now);
    await journal.sync();
    await journal.dropRecovered();
    if (recovery.refused > 0) {
      logger.error(
        `the journal held ${recovery.refused} events more than the queue takes (maxQueueSize, overflow 'drop-newest'): they are lost`,
      );
    }
    if (recovery.events + recovery.records + recovery.sessions > 0) {
      logger.info(
        `journal ${journal.name}: ${recovery.events} events and ${recovery.records} other records queued again, ${recovery.sessions} live sessions continued`,
      );
    }
    return recovery;
  }

  #replay(entry: JournalEntry, stored: { main: number; js: number }, recovery: JournalRecovery): void {
    const { queue } = this.#deps;
    switch (entry.k) {
      case 'event':
        this.#deps.rememberEvent(entry.v);
        if (entry.s <= stored.main) return;
        if (queue.addEvent(entry.v)) recovery.events += 1;
        else recovery.refused += 1;
        return;
      case 'session':
        if (entry.s > stored.main) {
          queue.putSession(entry.v);
          // The queue does not journal rows (see SessionJournal): this run's journal needs it too.
          this.#deps.journal.append({ k: 'session', s: queue.seq, v: entry.v });
          recovery.records += 1;
        }
        return;
      case 'visitor':
        this.#deps.rememberVisitor(entry.v.id);
        if (entry.s > stored.main) {
          queue.putVisitor(entry.v);
          recovery.records += 1;
        }
        return;
      case 'jsError':
        if (entry.s > stored.js) {
          queue.addJsError(entry.v);
          recovery.records += 1;
        }
        return;
      case 'discard':
        if (entry.s > stored.main) {
          queue.discardSession(entry.v);
          recovery.records += 1;
        }
        return;
      default:
        return;
    }
  }

  /** Adopts the sessions still live, least recently active first (the tracker's order). */
  #resume(
    candidates: { row: JournalEntry & { k: 'session' | 'resume' }; r: SessionResume }[],
    now: number,
  ): number {
    const { sessions, sessionTimeoutMs } = this.#deps;
    candidates.sort((a, b) => a.r.lastSeen - b.r.lastSeen);
    let resumed = 0;
    for (const { row, r } of candidates) {
      if (r.key === '' || now - r.lastSeen > sessionTimeoutMs) continue;
      const live = liveFromResume(row.v, r);
      if (sessions.adopt(r.key, live, now)) {
        this.#carry(r.key, live);
        resumed += 1;
      }
    }
    return resumed;
  }

  /** Journals a live session again, numbered after every change so far (see `trim`). */
  #carry(key: string, live: ReturnType<typeof liveFromResume>): void {
    const { journal, queue } = this.#deps;
    const s = queue.seq + 1;
    live.key = key;
    journal.append({ k: 'resume', s, v: live.row, r: resumeOf(live) });
    live.journalSeq = s;
  }

  /**
   * Lets the journal drop what the store confirmed. A live session whose latest entry would go is
   * journaled again first, numbered after everything queued so far, so that the files it lands in
   * are kept until the next trim.
   */
  trim(): void {
    const { journal, queue, sessions } = this.#deps;
    this.#deps.sessionJournal.flush();
    const stored = queue.storedThrough();
    const release = Math.min(stored.main, stored.js) + 1;
    // Files go whole (a few MB each): most trims delete nothing and cost nothing.
    const cut = journal.releasable(release);
    if (cut === 0) return;
    this.#deps.secrets.carry();
    for (const [key, live] of sessions.entries()) {
      if ((live.journalSeq ?? 0) <= cut) this.#carry(key, live);
    }
    journal.release(release);
  }

  /** At shutdown, after the queue closed: keeps the live sessions and whatever the store did not take. */
  async close(): Promise<void> {
    this.trim();
    // The last run's files may all be trimmed by the next one: its salts must outlive them.
    this.#deps.secrets.carry();
    await this.#deps.journal.close();
  }
}

/** The error a track call answers when its entry could not be made durable. */
export function journalFailed(journal: Journal, cause: unknown): SkoposError {
  return new SkoposError(
    'store_failed',
    `[skopos/core] could not write the journal ${journal.name}; the event is queued but not safe yet. Check the disk.`,
    { cause },
  );
}
