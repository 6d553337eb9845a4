import type { Logger } from '../logger.ts';

const WARN_EVERY_MS = 10_000;

/**
 * Counts events lost to a full queue and says so: a warning at the first drop, then at most one
 * every 10 s with the running total, so an overload is visible without flooding the logs.
 */
export class OverflowCounter {
  dropped = 0;
  #lastWarnAt = Number.NEGATIVE_INFINITY;
  readonly #logger: Logger;
  readonly #describe: string;

  constructor(logger: Logger, maxQueueSize: number, policy: string) {
    this.#logger = logger;
    this.#describe = `maxQueueSize ${maxQueueSize}, overflow '${policy}'`;
  }

  record(count: number): void {
    this.dropped += count;
    const now = Date.now();
    if (now - this.#lastWarnAt < WARN_EVERY_MS) return;
    this.#lastWarnAt = now;
    this.#logger.warn(
      `write queue full (${this.#describe}): ${this.dropped} events dropped so far. The store is down or slower than the traffic; fix the store or raise maxQueueSize.`,
      { dropped: this.dropped },
    );
  }
}
