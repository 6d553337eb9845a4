import type { Logger } from '../logger.ts';
import type { PipelineTally } from '../pipeline/counters.ts';
import type { Recorder } from '../pipeline/recorder.ts';
import type { WriteQueue } from '../queue/index.ts';
import type { Store } from '../store/store.ts';
import type { Journal } from './journal.ts';
import { JournalKeeper, type JournalRecovery, journalFailed } from './journal-keeper.ts';
import { JournalSecrets } from './journal-secrets.ts';
import { SessionJournal } from './session-journal.ts';

/** How often the journal lets go of what the store confirmed (cheap unless a file can go). */
const TRIM_MS = 1000;

/**
 * The pipeline's side of a journal: the salts and session rows it journals (needed before the
 * recorder exists), then, once `start`ed, the replay every call waits for, the trims, `sync` and the
 * close at shutdown.
 */
export class PipelineJournal {
  readonly journal: Journal;
  readonly secrets: JournalSecrets;
  readonly sessions: SessionJournal;
  readonly #logger: Logger;
  #keeper: JournalKeeper | undefined;
  #recovering: Promise<JournalRecovery> | null = null;
  #started: Promise<unknown> = Promise.resolve();
  #trimTimer: ReturnType<typeof setInterval> | undefined;

  constructor(journal: Journal, store: Store, queue: WriteQueue, logger: Logger) {
    this.journal = journal;
    this.secrets = new JournalSecrets(journal, store);
    this.sessions = new SessionJournal(journal, queue);
    this.#logger = logger;
  }

  /** Replays what earlier runs left (calls wait for it: replayed sessions must be live first), then trims every second. */
  start(deps: {
    queue: WriteQueue;
    recorder: Recorder;
    tally: PipelineTally;
    sessionTimeoutMs: number;
    storeKeepsData: boolean;
  }): void {
    const keeper = new JournalKeeper({
      journal: this.journal,
      secrets: this.secrets,
      sessionJournal: this.sessions,
      queue: deps.queue,
      sessions: deps.recorder.sessions,
      sessionTimeoutMs: deps.sessionTimeoutMs,
      logger: this.#logger,
      rememberEvent: deps.recorder.rememberEvent,
      storeKeepsData: deps.storeKeepsData,
      rememberVisitor: deps.recorder.rememberVisitor,
    });
    this.#keeper = keeper;
    const recovering = keeper.recover(Date.now()).then((recovery) => {
      this.#recovering = null;
      deps.tally.recovered += recovery.events;
      return recovery;
    });
    this.#recovering = recovering;
    this.#started = recovering;
    // Until someone awaits `ready()`, a failed replay surfaces through the calls that wait for it.
    recovering.catch(() => undefined);
    this.#trimTimer = setInterval(() => {
      if (this.#recovering !== null) return;
      keeper.trim(Date.now()).catch((error: unknown) => {
        // Nothing is lost: the files stay until a trim gets through.
        this.#logger.warn(`could not trim the journal ${this.journal.name}`, { error: String(error) });
      });
    }, TRIM_MS);
    (this.#trimTimer as { unref?: () => void }).unref?.();
  }

  /** The replay in progress, or null once done (the hot path then awaits nothing). */
  get recovering(): Promise<JournalRecovery> | null {
    return this.#recovering;
  }

  ready(): Promise<void> {
    return this.#started.then(() => undefined);
  }

  /** Everything accepted so far is durable; rejects with `store_failed` when the journal cannot be written. */
  async sync(): Promise<void> {
    try {
      this.sessions.flush();
      await this.journal.sync();
    } catch (cause) {
      throw journalFailed(this.journal, cause);
    }
  }

  /** At shutdown, after the queue closed: answers whether what the store did not take is kept. */
  async close(): Promise<boolean> {
    clearInterval(this.#trimTimer);
    await this.#started.catch(() => null);
    try {
      await this.#keeper?.close(Date.now());
      return true;
    } catch (error) {
      this.#logger.error(`could not close the journal ${this.journal.name}`, { error: String(error) });
      return false;
    }
  }
}
