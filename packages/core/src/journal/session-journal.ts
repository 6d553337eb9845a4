import type { WriteQueue } from '../queue/index.ts';
import type { LiveSession } from '../session/session-tracker.ts';
import type { JournalSink } from './journal.ts';
import { resumeOf } from './session-resume.ts';

/**
 * Journals session rows coalesced: every event rewrites its session's row, so journaling the row
 * per event would double what the journal writes. The rows touched since the last commit are
 * journaled once each, right before the commit that acknowledges their events (`flush`).
 */
export class SessionJournal {
  readonly #journal: JournalSink;
  readonly #queue: WriteQueue;
  readonly #dirty = new Set<LiveSession>();

  constructor(journal: JournalSink, queue: WriteQueue) {
    this.#journal = journal;
    this.#queue = queue;
  }

  /** The session changed (its row was put in the queue). */
  touched(live: LiveSession): void {
    this.#dirty.add(live);
  }

  /** The session is about to be discarded: its row must not be journaled after the discard. */
  forget(live: LiveSession): void {
    this.#dirty.delete(live);
  }

  /**
   * Appends the changed rows, numbered with the queue's latest change: every put of them is at or
   * before it, so once the store has everything up to that number it has these rows too.
   */
  flush(): void {
    if (this.#dirty.size === 0) return;
    const s = this.#queue.seq;
    for (const live of this.#dirty) {
      this.#journal.append({ k: 'session', s, v: live.row, r: resumeOf(live) });
      live.journalSeq = s;
    }
    this.#dirty.clear();
  }
}
