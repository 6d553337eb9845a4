import type { EventRecord, JsErrorDelta, SessionRecord, VisitorRecord } from '../model/records.ts';

/**
 * What a restarted process needs to continue a live session: its key in the session tracker (the
 * visitor hash) and the state that is not in the session row.
 */
export interface SessionResume {
  key: string;
  trackingId: string;
  /** Server clock at the session's latest event (sessions time out by it). */
  lastSeen: number;
  visibleSeconds: number;
  reportsVisibleTime: boolean;
  clockOffset?: number;
}

/**
 * One journal entry. `s` numbers the write queue's changes within one run of a process (one
 * generation of the journal); `stored` says up to which numbers the store has confirmed them.
 */
export type JournalEntry =
  | { k: 'event'; s: number; v: EventRecord }
  | { k: 'session'; s: number; v: SessionRecord; r?: SessionResume }
  | { k: 'visitor'; s: number; v: VisitorRecord }
  | { k: 'jsError'; s: number; v: JsErrorDelta }
  /**
   * The unstored JS-error deltas numbered ≤ `s` (after the previous `jsWrite`) were taken into the
   * write `id` (its `WriteBatch.writeId`): a restart writes them again as that write, so a store
   * that committed it before the crash recognises it.
   */
  | { k: 'jsWrite'; s: number; id: string }
  | { k: 'discard'; s: number; v: string }
  /** A live session in a snapshot (see `writeSnapshot`); not a store write. */
  | { k: 'resume'; s: number; v: SessionRecord; r: SessionResume }
  /** A visitor-id salt (see `JournalSecrets`); kept while the journal lives, not a store write. */
  | { k: 'secret'; key: string; v: string }
  /** Every event, row and discard numbered ≤ `main`, and every JS-error delta ≤ `js`, is stored. */
  | { k: 'stored'; main: number; js: number };

/** What `Journal.recover` answers. */
export interface RecoveredJournal {
  /** `resume` and `secret` entries as of the last `writeSnapshot` (older than any run's entries). */
  snapshot: JournalEntry[];
  runs: JournalEntry[][];
}

/** What the write queue journals: every change it accepts, then the checkpoints of what was stored. */
export interface JournalSink {
  /** Adds an entry after those before it. Serializes it now: the caller may change the object later. */
  append(entry: JournalEntry): void;
}

/**
 * A write-ahead journal: every change the pipeline accepts is appended before the pipeline answers,
 * so that a crash (`kill -9`) or a store that stays down at shutdown loses nothing acknowledged. A
 * restarted pipeline replays what the store had not confirmed and resumes the live sessions.
 *
 * Implementations: `fileJournal` from `@skopos/journal` (files with group-committed fsync). A
 * journal belongs to one process at a time.
 */
export interface Journal extends JournalSink {
  /** Shown in logs, e.g. the directory. */
  readonly name: string;
  /**
   * What earlier runs left: the last snapshot, and the entries of each run (oldest run first, in
   * append order). Called once, before the first `append`.
   */
  recover(): Promise<RecoveredJournal>;
  /**
   * Replaces the snapshot (live sessions and salts) atomically and durably; `release` is only called
   * after it, so trimming the log never forgets a live session.
   */
  writeSnapshot(entries: readonly JournalEntry[]): Promise<void>;
  /** Resolves once every entry appended so far is durable; rejects when it cannot be. */
  sync(): Promise<void>;
  /** The recovered entries were replayed (and journaled again): forget them. */
  dropRecovered(): Promise<void>;
  /**
   * The highest entry number in what `release(seq)` would delete now (0 = nothing): the caller
   * journals again whatever it still needs from there before releasing.
   */
  releasable(seq: number): number;
  /** This run's entries numbered below `seq` are no longer needed; files holding only those may go. */
  release(seq: number): void;
  /** Syncs and closes; afterwards `append` is ignored (a store write finishing late must not throw). */
  close(): Promise<void>;
}
