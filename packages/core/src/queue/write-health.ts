import { isStoreRejection } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface RetryOptions {
  /** First retry delay cap, ms (default 250). */
  baseDelayMs?: number;
  /** Largest retry delay, ms (default 30000). */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1) (default `Math.random`), also of the row probes' picks; inject a fixed one in tests. */
  random?: () => number;
}

/** An error's message for a log line (any thrown value). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tracks consecutive store failures: computes the next retry delay (exponential backoff with full
 * jitter, so many instances recovering together do not stampede the store) and logs an outage once,
 * at its start, and once more at recovery — a down store must not flood the logs. JS-error writes
 * keep a streak of their own: a store failing only them (its JS-error table missing, a row it
 * refuses) must not hold event writes back, and events written meanwhile must not end their streak.
 */
export class WriteHealth {
  /** Failed write attempts, all time. */
  failures = 0;
  /** Attempts made while the previous one had failed. */
  retries = 0;
  #consecutive = 0;
  #jsConsecutive = 0;
  #lastError: unknown;
  #jsLastError: unknown;
  readonly #base: number;
  readonly #max: number;
  readonly #random: () => number;
  readonly #logger: Logger;

  constructor(logger: Logger, options: RetryOptions = {}) {
    this.#logger = logger;
    this.#base = options.baseDelayMs ?? 250;
    this.#max = options.maxDelayMs ?? 30_000;
    this.#random = options.random ?? Math.random;
  }

  /** The last event (main) write failed, and none has succeeded since. */
  get failing(): boolean {
    return this.#consecutive > 0;
  }

  /** The last failure of event writes, else of JS-error writes (`undefined` once both succeed). */
  get lastError(): unknown {
    return this.#lastError ?? this.#jsLastError;
  }

  /** The last failure of one kind of write, for the error a flush of that kind rejects with. */
  lastErrorOf(kind: 'main' | 'js'): unknown {
    return kind === 'js' ? this.#jsLastError : this.#lastError;
  }

  beforeAttempt(kind: 'main' | 'js'): void {
    if ((kind === 'js' ? this.#jsConsecutive : this.#consecutive) > 0) this.retries++;
  }

  /** Counts a write the store refused for its data, written again in parts at once (no backoff). */
  refused(error: unknown): void {
    this.failures++;
    this.#lastError = error;
  }

  /** Records a failure and answers how long to wait before the next attempt. */
  onFailure(error: unknown, pendingEvents: number, pendingJsErrors = 0): number {
    this.failures++;
    this.#consecutive++;
    this.#lastError = error;
    const delay = this.delayAfter(this.#consecutive);
    if (this.#consecutive === 1) {
      this.#logger.warn(
        `store write failed, retrying with backoff (${describeError(error)}); ${queuedWhat(pendingEvents, pendingJsErrors)} stay queued. Further failures are logged at debug level until the store recovers.`,
        { error, pendingEvents, pendingJsErrors },
      );
    } else {
      this.#logger.debug(`store write failed again (attempt ${this.#consecutive})`, {
        error: describeError(error),
        pendingEvents,
        retryInMs: delay,
      });
    }
    return delay;
  }

  /**
   * Records a failed JS-error write (kept whole, tried again later) and answers its delay, on the
   * JS-error streak. Said once per streak: a refusal of the data as an error, anything else as a warning.
   */
  onJsFailure(error: unknown, deltas: number): number {
    this.failures++;
    this.#jsConsecutive++;
    this.#jsLastError = error;
    if (this.#jsConsecutive === 1) {
      const what = plural(deltas, 'JS error');
      if (isStoreRejection(error)) {
        this.#logger.error(
          `the store refused a write of ${what} for its data (${describeError(error)}): kept and tried again with backoff; events are written meanwhile. Check the store.`,
          { error },
        );
      } else {
        this.#logger.warn(
          `a write of ${what} failed (${describeError(error)}): kept and tried again with backoff; events are written meanwhile. Further failures are logged at debug level until one succeeds.`,
          { error, pendingJsErrors: deltas },
        );
      }
    } else {
      this.#logger.debug(`JS-error write failed again (attempt ${this.#jsConsecutive})`, {
        error: describeError(error),
      });
    }
    return this.delayAfter(this.#jsConsecutive);
  }

  onJsSuccess(): void {
    if (this.#jsConsecutive === 0) return;
    this.#logger.info(`JS-error writes recovered after ${this.#jsConsecutive} failures`);
    this.#jsConsecutive = 0;
    this.#jsLastError = undefined;
  }

  onSuccess(eventsWritten: number): void {
    if (this.#consecutive === 0) {
      this.#lastError = undefined; // a refusal's (see `refused`)
      return;
    }
    this.#logger.info(
      `store write recovered after ${this.#consecutive} failures${eventsWritten > 0 ? `, ${eventsWritten} events written` : ''}`,
    );
    this.#consecutive = 0;
    this.#lastError = undefined;
  }

  /** Full jitter: uniform in [0, min(max, base · 2^(failures − 1))), after one kind's streak. */
  nextDelay(kind: 'main' | 'js'): number {
    return this.delayAfter(kind === 'js' ? this.#jsConsecutive : this.#consecutive);
  }

  /** The backoff after `failures` failures in a row of one kind of write. */
  delayAfter(failures: number): number {
    const exponent = Math.max(0, failures - 1);
    const cap = Math.min(this.#max, this.#base * 2 ** Math.min(exponent, 30));
    return Math.floor(this.#random() * cap);
  }
}

/** "12 events", "12 events and 3 JS errors": a write of JS errors alone must not read as nothing queued. */
function queuedWhat(events: number, jsErrors: number): string {
  return jsErrors > 0 ? `${events} events and ${jsErrors} JS errors` : `${events} events`;
}

/** "1 JS error", "3 JS errors": for log lines. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
