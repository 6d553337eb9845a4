import {
  compareSlowCalls,
  type EndpointTotals,
  emptyByClass,
  finishHttpStats,
  type HttpSlowCall,
  type NavigationStep,
  type Stats,
  topCountRows,
  topNavigationSteps,
} from '@skopos/core';
import { levelCounts } from './event-flags.ts';
import type { EventRing } from './event-ring.ts';
import { IdCounter } from './id-counter.ts';
import type { Interner } from './interner.ts';
import { FIRST_ERROR_CLASS, HTTP_CLASSES, MonitorColumns } from './monitor-columns.ts';
import type { ScratchArrays } from './scratch-arrays.ts';

/**
 * The monitor's figures of one stats call, counted by `StatsScan` as it passes each event: type
 * and level counts (the scan increments `types`, `levels` and `bucketErrors` itself, inline),
 * and per `http`/`navigation` event the columns of `MonitorColumns`, by interned key.
 */
export class MonitorCounts {
  /**
   * By interned type id, without `IdCounter`'s list of touched ids: the scan's loop is too large
   * for V8 to inline a call, and one call per event cost ~1 ms per 500k; `finish` looks for the
   * few types over the whole array instead (~0.1 ms).
   */
  readonly types: Float64Array;
  /** By level code; NO_LEVEL is read as `info`, ODD_LEVEL strings are in `#oddLevels`. */
  readonly levels = new Float64Array(8);
  readonly bucketErrors: Float64Array;
  readonly #ring: EventRing;
  readonly #top: number;
  readonly #oddLevels = new Map<string, number>();
  #calls = 0;
  readonly #byClass = new Float64Array(HTTP_CLASSES.length);
  #durationSum = 0;
  #timed = 0;
  readonly #endpointCalls: IdCounter;
  readonly #errors: Int32Array;
  readonly #keyDuration: Float64Array;
  readonly #keyTimed: Int32Array;
  /** Candidates for the slowest calls; sorted and cut back to `top` when they pile up. */
  #slow: HttpSlowCall[] = [];
  #slowThreshold = Number.NEGATIVE_INFINITY;
  #navigations = 0;
  readonly #steps: IdCounter;

  constructor(
    sources: { ring: EventRing; values: Interner; scratch: ScratchArrays },
    buckets: number,
    top: number,
  ) {
    const { ring, values, scratch } = sources;
    const capacity = ring.monitor.keys.capacity;
    this.#ring = ring;
    this.#top = top;
    this.types = scratch.float64(values.capacity);
    this.bucketErrors = new Float64Array(buckets);
    this.#endpointCalls = new IdCounter(scratch.int32(capacity));
    this.#errors = scratch.int32(capacity);
    this.#keyDuration = scratch.float64(capacity);
    this.#keyTimed = scratch.int32(capacity);
    this.#steps = new IdCounter(scratch.int32(capacity));
  }

  /** Give the arrays back: the per-endpoint ones are non-zero only where calls were counted. */
  release(scratch: ScratchArrays): void {
    const endpoints = this.#endpointCalls.ids;
    scratch.give(this.types);
    scratch.give(this.#errors, endpoints);
    scratch.give(this.#keyDuration, endpoints);
    scratch.give(this.#keyTimed, endpoints);
    this.#endpointCalls.release(scratch);
    this.#steps.release(scratch);
  }

  oddLevel(slot: number): void {
    const level = this.#ring.details.oddLevel(slot) ?? 'info';
    this.#oddLevels.set(level, (this.#oddLevels.get(level) ?? 0) + 1);
  }

  call(slot: number, at: number): void {
    const { key, httpClass, duration } = this.#ring.monitor;
    this.#calls++;
    const statusClass = httpClass[slot] ?? 0;
    this.#byClass[statusClass] = (this.#byClass[statusClass] ?? 0) + 1;
    const ms = duration[slot] ?? Number.NaN;
    const timed = ms > 0;
    if (timed) {
      this.#durationSum += ms;
      this.#timed++;
    }
    const id = key[slot] ?? 0;
    if (!MonitorColumns.has(id)) return;
    this.#endpointCalls.add(id);
    if (statusClass >= FIRST_ERROR_CLASS) this.#errors[id] = (this.#errors[id] ?? 0) + 1;
    if (!timed) return;
    this.#keyDuration[id] = (this.#keyDuration[id] ?? 0) + ms;
    this.#keyTimed[id] = (this.#keyTimed[id] ?? 0) + 1;
    // Equal durations still enter: an earlier one ranks first whatever the ring order.
    if (ms < this.#slowThreshold || this.#top === 0) return;
    this.#slow.push({ key: this.#ring.monitor.keys.get(id), duration: ms, at });
    if (this.#slow.length >= 4 * this.#top + 64) this.#cutSlow();
  }

  #cutSlow(): void {
    this.#slow.sort(compareSlowCalls);
    this.#slow.length = this.#top;
    this.#slowThreshold = this.#slow[this.#top - 1]?.duration ?? Number.NEGATIVE_INFINITY;
  }

  step(slot: number): void {
    this.#navigations++;
    const id = this.#ring.monitor.key[slot] ?? 0;
    if (MonitorColumns.has(id)) this.#steps.add(id);
  }

  *#typeCounts(values: Interner): IterableIterator<[string, number]> {
    const { types } = this;
    for (let id = 0; id < types.length; id++) {
      const count = types[id] ?? 0;
      if (count > 0) yield [values.get(id), count];
    }
  }

  finish(values: Interner): Pick<Stats, 'types' | 'levels' | 'http' | 'navigation'> {
    const figures: Pick<Stats, 'types' | 'levels' | 'http' | 'navigation'> = {
      types: topCountRows(this.#typeCounts(values), Number.POSITIVE_INFINITY),
      levels: topCountRows(levelCounts(this.levels, this.#oddLevels), Number.POSITIVE_INFINITY),
    };
    const { keys } = this.#ring.monitor;
    if (this.#calls > 0) {
      const byClass = emptyByClass();
      HTTP_CLASSES.forEach((name, code) => {
        if (name !== undefined) byClass[name] = this.#byClass[code] ?? 0;
      });
      const endpoints: EndpointTotals[] = [];
      for (const [id, calls] of this.#endpointCalls.counts()) {
        const [errors, durationSum, timed] = [this.#errors[id], this.#keyDuration[id], this.#keyTimed[id]];
        endpoints.push({
          key: keys.get(id),
          calls,
          errors: errors ?? 0,
          durationSum: durationSum ?? 0,
          timed: timed ?? 0,
        });
      }
      const totals = { calls: this.#calls, byClass, durationSum: this.#durationSum, timed: this.#timed };
      figures.http = finishHttpStats({ ...totals, endpoints, slowCalls: this.#slow }, this.#top);
    }
    if (this.#navigations > 0) {
      const steps: NavigationStep[] = [];
      for (const [id, count] of this.#steps.counts()) {
        const [from, to] = JSON.parse(keys.get(id)) as [string, string];
        steps.push({ from, to, count });
      }
      figures.navigation = topNavigationSteps(steps, this.#top);
    }
    return figures;
  }
}
