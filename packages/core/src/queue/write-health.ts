import type { Logger } from '../logger.ts';

export interface RetryOptions {
  /** First retry delay cap, ms (default 250). */
  baseDelayMs?: number;
  /** Largest retry delay, ms (default 30000). */
  maxDelayMs?: number;
  /** Source of jitter in [0, 1) (default `Math.random`); inject a fixed one in tests. */
  random?: () => number;
}

/** An error's message for a log line (any thrown value). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Tracks consecutive store failures: computes the next retry delay (exponential backoff with full
 * jitter, so many instances recovering together do not stampede the store) and logs an outage once,
 * at its start, and once more at recovery — a down store must not flood the logs.
 */
export class WriteHealth {
  /** Failed write attempts, all time. */
  failures = 0;
  /** Attempts made while the previous one had failed. */
  retries = 0;
  #consecutive = 0;
  #lastError: unknown;
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

  get failing(): boolean {
    return this.#consecutive > 0;
  }

  get lastError(): unknown {
    return this.#lastError;
  }

  beforeAttempt(): void {
    if (this.#consecutive > 0) this.retries++;
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
    const delay = this.nextDelay();
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

  /** Full jitter: uniform in [0, min(max, base · 2^(failures − 1))). */
  nextDelay(): number {
    return this.delayAfter(this.#consecutive);
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
