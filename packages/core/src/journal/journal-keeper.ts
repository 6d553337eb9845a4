import { SkoposError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { EventRecord, JsErrorDelta } from '../model/records.ts';
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
  /** Whether events an earlier run stored are still in the store (`Store.durable !== false`). */
  storeKeepsData: boolean;
  rememberVisitor(recordId: string): void;
}

/**
 * The JS-error deltas the store had not confirmed, grouped as they were written: those a write
 * took (a `jsWrite` entry) go again as that write, with its `writeId`, so a store that committed
 * it before the crash (its answer lost) recognises it; the rest are merged as new. The writes are
 * queued (and journaled again) before the loose deltas, so that the next run's journal groups them
 * the same way.
 */
class JsErrorReplay {
  readonly #writes: { id: string; deltas: JsErrorDelta[] }[] = [];
  readonly #loose: JsErrorDelta[] = [];
  #run: JsErrorDelta[] = [];

  add(entry: JournalEntry & { k: 'jsError' | 'jsWrite' }, storedThrough: number): void {
    if (entry.s <= storedThrough) return;
    if (entry.k === 'jsError') {
      this.#run.push(entry.v);
      return;
    }
    // Entries are in number order: the deltas since the previous write are this write's.
    if (this.#run.length > 0) this.#writes.push({ id: entry.id, deltas: this.#run });
    this.#run = [];
  }

  endRun(): void {
    this.#loose.push(...this.#run);
    this.#run = [];
  }

  /** Queues everything; answers how many deltas. */
  queue(queue: WriteQueue): number {
    let count = this.#loose.length;
    for (const write of this.#writes) {
      queue.restoreJsWrite(write.deltas, write.id);
      count += write.deltas.length;
    }
    for (const delta of this.#loose) queue.addJsError(delta);
    return count;
  }
}

/** The last checkpoint of a run: entries numbered up to these are stored. */
function checkpointOf(run: readonly JournalEntry[]): { main: number; js: number } {
  for (let i = run.length - 1; i >= 0; i--) {
    const entry = run[i] as JournalEntry;
    if (entry.k === 'stored') return { main: entry.main, js: entry.js };
  }
  return { main: 0, js: 0 };
}

type Resumable = { row: JournalEntry & { k: 'session' | 'resume' }; r: SessionResume };

/**
 * A snapshot of every live session is written at most once a second, and spaced to 20 times what
 * the last one took (100 000 live sessions: a few seconds apart); files wait meanwhile.
 */
const SNAPSHOT_MIN_INTERVAL_MS = 1000;
const SNAPSHOT_SPACING = 20;

/**
 * Keeps the journal in step with the pipeline: replays what an earlier run left (once, at start),
 * and lets go of what the store confirmed, after a snapshot of the live sessions and salts so that
 * trimming never forgets them.
 */
export class JournalKeeper {
  readonly #deps: KeeperDeps;
  #lastSnapshot = Number.NEGATIVE_INFINITY;
  #snapshotTookMs = 0;
  #trimming: Promise<void> | null = null;

  constructor(deps: KeeperDeps) {
    this.#deps = deps;
  }

  /** Queues again what earlier runs journaled and the store had not confirmed; continues their live sessions. */
  async recover(now: number): Promise<JournalRecovery> {
    const { journal, logger } = this.#deps;
    const { snapshot, runs } = await journal.recover();
    const recovery: JournalRecovery = { events: 0, records: 0, sessions: 0, refused: 0 };
    const resumable = new Map<string, Resumable>();
    const consider = (entry: JournalEntry): void => {
      if (entry.k === 'secret') this.#deps.secrets.recovered(entry.key, entry.v);
      if ((entry.k !== 'session' && entry.k !== 'resume') || entry.r === undefined) return;
      const known = resumable.get(entry.r.key);
      // The newest state wins, wherever it was kept (a file that outlived its trim is older).
      if (known === undefined || known.r.lastSeen <= entry.r.lastSeen) {
        resumable.set(entry.r.key, { row: entry, r: entry.r });
      }
    };
    for (const entry of snapshot) consider(entry);
    const jsErrors = new JsErrorReplay();
    for (const run of runs) {
      const stored = checkpointOf(run);
      for (const entry of run) {
        consider(entry);
        if (entry.k === 'discard') {
          for (const [key, candidate] of resumable) if (candidate.row.v.id === entry.v) resumable.delete(key);
        }
        if (entry.k === 'jsError' || entry.k === 'jsWrite') jsErrors.add(entry, stored.js);
        else this.#replay(entry, stored, recovery);
      }
      jsErrors.endRun();
    }
    recovery.records += jsErrors.queue(this.#deps.queue);
    recovery.sessions = this.#resume([...resumable.values()], now);
    // What the old files held is now queued and journaled again, or in the new snapshot: they may go.
    await this.#snapshot(now);
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
        if (entry.s <= stored.main) {
          // Stored by the earlier run: a re-send is a duplicate only if the store still has it.
          if (this.#deps.storeKeepsData) this.#deps.rememberEvent(entry.v);
          return;
        }
        this.#deps.rememberEvent(entry.v);
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
  #resume(candidates: Resumable[], now: number): number {
    const { sessions, sessionTimeoutMs } = this.#deps;
    candidates.sort((a, b) => a.r.lastSeen - b.r.lastSeen);
    let resumed = 0;
    for (const { row, r } of candidates) {
      if (r.key === '' || now - r.lastSeen > sessionTimeoutMs) continue;
      if (sessions.adopt(r.key, liveFromResume(row.v, r), now)) resumed += 1;
    }
    return resumed;
  }

  /** The live sessions and the salts, replacing the last snapshot. */
  async #snapshot(now: number): Promise<void> {
    const entries: JournalEntry[] = this.#deps.secrets.entries();
    for (const [key, live] of this.#deps.sessions.entries()) {
      live.key ??= key;
      entries.push({ k: 'resume', s: 0, v: live.row, r: resumeOf(live) });
    }
    const started = Date.now();
    await this.#deps.journal.writeSnapshot(entries);
    this.#snapshotTookMs = Date.now() - started;
    this.#lastSnapshot = now;
  }

  /**
   * Lets the journal drop the files whose entries the store confirmed. Most trims delete nothing
   * and cost nothing (files go whole, a few MB each); when one can go, everything appended so far
   * is made durable, the live sessions and salts are snapshotted (rate-limited), and only then are
   * the files deleted.
   */
  trim(now: number): Promise<void> {
    this.#trimming ??= this.#trim(now).finally(() => {
      this.#trimming = null;
    });
    return this.#trimming;
  }

  async #trim(now: number, force = false): Promise<void> {
    const { journal, queue, sessionJournal } = this.#deps;
    sessionJournal.flush();
    const stored = queue.storedThrough();
    const release = Math.min(stored.main, stored.js) + 1;
    if (journal.releasable(release) === 0 && !force) return;
    const spacing = Math.max(SNAPSHOT_MIN_INTERVAL_MS, SNAPSHOT_SPACING * this.#snapshotTookMs);
    if (!force && now - this.#lastSnapshot < spacing) return;
    await journal.sync();
    await this.#snapshot(now);
    journal.release(release);
  }

  /** At shutdown, after the queue closed: snapshots the live sessions, keeps what the store did not take. */
  async close(now: number): Promise<void> {
    await this.#trimming;
    await this.#trim(now, true);
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
