import type { Stats, StatsQuery } from '@skopos/core';
import type { EventRing, RingWatcher } from './event-ring.ts';
import { StatsScan, type StatsSources } from './native-stats.ts';
import type { SessionPass } from './session-pass.ts';

/** One stats call in flight in a `StatsScheduler`. */
class StatsTask {
  readonly scan: StatsScan;
  readonly #start: number;
  readonly #allocated: number;
  readonly total: number;
  done = 0;
  /** Slots ahead of the scan that a write touched: counted early, or holding an event to skip. */
  readonly #skip = new Set<number>();
  readonly watcher: RingWatcher;
  /** The pass over the sessions, once the events are counted. */
  pass: SessionPass | undefined;
  /** Tokens of its holds on the interned values and the session slots. */
  holds: [number, number, number] = [0, 0, 0];
  readonly resolve: (stats: Stats) => void;
  readonly reject: (error: unknown) => void;

  constructor(
    scan: StatsScan,
    ring: EventRing,
    resolve: (stats: Stats) => void,
    reject: (error: unknown) => void,
  ) {
    this.scan = scan;
    this.resolve = resolve;
    this.reject = reject;
    this.#allocated = ring.allocated;
    this.#start = ring.firstSeq % this.#allocated;
    this.total = scan.noSite ? 0 : ring.nextSeq - ring.firstSeq;
    const skip = this.#skip;
    this.watcher = {
      releasing: (slot) => {
        if (!this.#ahead(slot) || skip.has(slot)) return;
        skip.add(slot);
        scan.scan(slot, 1, false);
      },
      appended: (slot) => {
        if (this.#ahead(slot)) skip.add(slot);
      },
    };
  }

  #ahead(slot: number): boolean {
    // The ring grows only before it first wraps (start 0): slots past `allocated` are new.
    if (slot >= this.#allocated) return false;
    const position = (slot - this.#start + this.#allocated) % this.#allocated;
    return position >= this.done && position < this.total;
  }

  /** Count the next `count` slots (fewer at the end); answers how many were looked at. */
  advance(count: number): number {
    const end = Math.min(this.total, this.done + count);
    const first = (this.#start + this.done) % this.#allocated;
    if (this.#skip.size === 0) {
      this.scan.scan(first, end - this.done, false);
    } else {
      for (let position = this.done; position < end; position++) {
        const slot = (this.#start + position) % this.#allocated;
        if (!this.#skip.has(slot)) this.scan.scan(slot, 1, false);
      }
    }
    const looked = end - this.done;
    this.done = end;
    return looked;
  }
}

/**
 * Stats calls counted across turns of the event loop, so that requests (ingest) are served while a
 * large store is counted: each turn counts at most `slice` ring slots and sessions in all (the
 * oldest call first, so one dashboard's answer is not slowed by the next one's: its events, then
 * the sessions they touched and every session for "active now"), or builds one answer, then
 * yields with `setImmediate`. A call's answer is that of the events held when it began (events
 * written meanwhile are left out; events evicted or discarded meanwhile still count: the ring
 * tells the scan before it frees a slot ahead of it) and of the session rows as they are when its
 * answer is built (the session pass watches the rows it already counted); with no write in between it
 * equals `nativeStats`. Interned ids and session slots are not reused while a call runs (`hold`),
 * so its counts keep their keys.
 */
export class StatsScheduler {
  readonly #sources: StatsSources;
  readonly #slice: number;
  readonly #tasks: StatsTask[] = [];
  #scheduled = false;

  constructor(sources: StatsSources, slice: number) {
    this.#sources = sources;
    this.#slice = slice;
  }

  stats(query: StatsQuery): Promise<Stats> {
    return new Promise<Stats>((resolve, reject) => {
      const { ring, values, sessions } = this.#sources;
      const task = new StatsTask(new StatsScan(this.#sources, query), ring, resolve, reject);
      ring.watchers.add(task.watcher);
      task.holds = [values.hold(), sessions.hold(), ring.monitor.keys.hold()];
      this.#tasks.push(task);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#tasks.length === 0) return;
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  readonly #turn = (): void => {
    this.#scheduled = false;
    let budget = this.#slice;
    while (budget > 0) {
      const task = this.#tasks[0];
      if (task === undefined) break;
      if (task.done < task.total) {
        budget -= task.advance(budget);
        continue;
      }
      task.pass ??= task.scan.sessionPass();
      if (!task.pass.done) {
        budget -= task.pass.step(budget);
        continue;
      }
      // Building an answer is a turn's work of its own.
      if (budget < this.#slice) break;
      this.#tasks.shift();
      this.#settle(task, task.pass);
      break;
    }
    this.#schedule();
  };

  #settle(task: StatsTask, pass: SessionPass): void {
    const { ring, values, sessions } = this.#sources;
    let stats: Stats | undefined;
    let failure: unknown;
    try {
      // Still held: the counted ids and slots are read back here.
      stats = task.scan.answer(pass);
    } catch (error) {
      failure = error;
    } finally {
      pass.release();
      task.scan.release();
      ring.watchers.delete(task.watcher);
      values.unhold(task.holds[0]);
      sessions.unhold(task.holds[1]);
      ring.monitor.keys.unhold(task.holds[2]);
    }
    if (stats === undefined) task.reject(failure);
    else task.resolve(stats);
  }
}
