import { SkoposError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../store/store.ts';
import { isThenable } from '../util/maybe-promise.ts';
import { startTime } from '../util/start-time.ts';

/**
 * Ids asked of the store in one call at most: a burst of re-sends after a restart must not become
 * one unbounded request (the store may split further, e.g. to bound a filter's length).
 */
export const MAX_IDS_PER_LOOKUP = 500;

/**
 * How long a look-up may take: the events waiting on it hold their requests open, and answers are
 * handed out in arrival order, so one stalled call would stall every write after it.
 */
export const LOOKUP_TIMEOUT_MS = 2000;

interface Waiter {
  resolve(session: string | undefined): void;
  reject(error: SkoposError): void;
}

/**
 * After the I/O callbacks of this turn, not in a microtask: events of requests arriving in the same
 * turn share a call. `setImmediate` where the runtime has it (no 1 ms timer clamp per look-up).
 */
const nextTurn = (fn: () => void): void => {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') immediate(fn);
  else setTimeout(fn, 0);
};

export interface StoredIdentitiesOptions {
  store: Store;
  logger: Logger;
  /** How far back clients re-send (`identityWindow.horizonMs`): the warm-up lasts this long. */
  horizonMs: number;
}

/**
 * The store's word on identities the window cannot vouch for yet. A fresh process's window is empty
 * (or holds only what a journal replayed, and a journal lets go of stored events), so for
 * `horizonMs` after the start an event it does not know may have been stored by the previous run;
 * its copy, re-sent by a client that never saw the answer, must not open or extend a session again.
 * During that warm-up the look-ups of one tick are asked in one `knownEvents` call per site; after
 * it, the window alone decides and this costs one field read per event.
 *
 * A store without `knownEvents` keeps today's behaviour: such a re-send is applied again. A store
 * with `durable: false` is not asked (see the constructor). A store that cannot answer (it fails,
 * or takes longer than `LOOKUP_TIMEOUT_MS`) gets its events refused with `store_failed`, which the
 * transports answer 503: applying them could count a re-sent event twice, and the client retries.
 */
export class StoredIdentities {
  readonly #store: Store;
  readonly #logger: Logger;
  /** End of the warm-up (epoch ms); 0 once it is over or when the store cannot answer; unset until the clock reads. */
  #until: number | undefined;
  readonly #horizonMs: number;
  /** Per site (website record id), the ids asked since the last flush. */
  #pending = new Map<string, Map<string, Waiter>>();
  #scheduled = false;
  /** The previous flush: answers are handed out in the order the events arrived. */
  #previous: Promise<void> = Promise.resolve();
  #warned = false;

  constructor(options: StoredIdentitiesOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    // A store that does not survive a restart (`durable: false`) starts as empty as the window: it
    // cannot hold what an earlier process stored, and asking it would only slow the first minutes.
    const able =
      typeof options.store.knownEvents === 'function' &&
      options.store.durable !== false &&
      options.horizonMs > 0;
    this.#horizonMs = options.horizonMs;
    const start = startTime();
    this.#until = !able ? 0 : start === undefined ? undefined : start + options.horizonMs;
  }

  /** Whether the window may still miss an event an earlier run stored (true only in the warm-up). */
  get warming(): boolean {
    // Made where the clock reads 0 (a Worker's top level): the warm-up starts with the first question.
    this.#until ??= Date.now() + this.#horizonMs;
    if (this.#until === 0) return false;
    if (Date.now() < this.#until) return true;
    this.#until = 0;
    return false;
  }

  /**
   * The session of `website`'s stored event `id`, or `undefined` when the store does not hold it;
   * rejects with `store_failed` when the store could not answer (a warning is logged once). The
   * caller asks once per id (the window marks it taken meanwhile).
   */
  lookup(website: string, id: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      let ids = this.#pending.get(website);
      if (ids === undefined) {
        ids = new Map();
        this.#pending.set(website, ids);
      }
      ids.set(id, { resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        nextTurn(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    this.#pending = new Map();
    const answers: Promise<() => void>[] = [];
    for (const [website, ids] of pending) {
      const list = [...ids.keys()];
      for (let at = 0; at < list.length; at += MAX_IDS_PER_LOOKUP) {
        answers.push(this.#ask(website, list.slice(at, at + MAX_IDS_PER_LOOKUP), ids));
      }
    }
    const asked = Promise.all(answers);
    this.#previous = Promise.all([this.#previous, asked]).then(([, resolvers]) => {
      for (const resolve of resolvers) resolve();
    });
  }

  /** One store call; answers a function that hands each waiter its answer (run in arrival order). */
  async #ask(website: string, ids: string[], waiters: Map<string, Waiter>): Promise<() => void> {
    let known: ReadonlyMap<string, string> | undefined;
    let failure: SkoposError | undefined;
    try {
      known = await withTimeout(this.#store.knownEvents?.(website, ids), LOOKUP_TIMEOUT_MS);
    } catch (error) {
      failure = new SkoposError(
        'store_failed',
        `[skopos/core] the ${this.#store.name} store could not say whether it already holds these events (they may be copies re-sent after a restart): retry later`,
        { cause: error },
      );
      if (!this.#warned) {
        this.#warned = true;
        this.#logger.warn(
          `the store ${this.#store.name} could not say which events it holds (knownEvents): events it cannot vouch for are refused (503, clients retry) until it answers, in the first identityWindow.horizonMs after a restart. Check the store.`,
          { error: String(error) },
        );
      }
    }
    return () => {
      for (const id of ids) {
        const waiter = waiters.get(id);
        if (failure !== undefined) waiter?.reject(failure);
        else waiter?.resolve(known?.get(id));
      }
    };
  }
}

/** `work`, or a rejection once `ms` passed without an answer (any thenable, not only a Promise). */
function withTimeout<T>(work: T | PromiseLike<T>, ms: number): Promise<T> {
  if (!isThenable(work)) return Promise.resolve(work);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    // One more turn before giving up: after a stall of the event loop (a busy machine, a long GC),
    // Node runs timers before I/O, and the answer may already be waiting in the socket; the
    // `setImmediate` of `nextTurn` comes after that I/O. (Runtimes without it get a plain timer.)
    timer = setTimeout(() => nextTurn(() => reject(new Error(`no answer within ${ms} ms`))), ms);
    (timer as { unref?: () => void }).unref?.();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
