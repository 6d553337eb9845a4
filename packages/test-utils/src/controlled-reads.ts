/** A store's read, held or failed on demand: tests of answers streamed while the store is read. */
export interface ControlledReads<Q, P> {
  /** Use as the store's `query`. */
  read(query: Q): Promise<P>;
  /** From now on the picked reads wait for `open()`. */
  hold(): void;
  /** Lets the waiting reads go on, and the next ones through. */
  open(): void;
  /** While on, the picked reads throw `Error('disk on fire')` (after waiting, when held). */
  fail(on?: boolean): void;
  /** Picked reads waiting for `open()`. */
  readonly waiting: number;
}

/**
 * Wraps `read` so that the reads `picked` chooses (all by default; e.g. only follow-up pages,
 * `(q) => q.cursor !== undefined`) can be held and failed: a test then knows an answer is in the
 * middle of being written, instead of hoping a timer catches it there.
 *
 * @example
 * const reads = controlledReads((q) => memory.query(q), (q) => q.cursor !== undefined);
 * const store = Object.assign(Object.create(memory), { query: reads.read });
 */
export function controlledReads<Q, P>(
  read: (query: Q) => P | Promise<P>,
  picked: (query: Q) => boolean = () => true,
): ControlledReads<Q, P> {
  let held = false;
  let failing = false;
  let waiting: (() => void)[] = [];
  return {
    async read(query) {
      if (picked(query)) {
        if (held) await new Promise<void>((resolve) => waiting.push(resolve));
        if (failing) throw new Error('disk on fire');
      }
      return read(query);
    },
    hold() {
      held = true;
    },
    open() {
      held = false;
      for (const resolve of waiting) resolve();
      waiting = [];
    },
    fail(on = true) {
      failing = on;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
