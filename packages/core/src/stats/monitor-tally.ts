import type { HttpSlowCall, NavigationStep } from '../model/monitor-stats.ts';
import type { Stats } from '../model/query.ts';
import type { EventRecord } from '../model/records.ts';
import { type EndpointTotals, emptyByClass, finishHttpStats, topNavigationSteps } from './http-ranking.ts';
import { httpCallOf, isHttpError, navigationStepOf } from './monitor-payload.ts';
import { topCountRows } from './ranking.ts';

/** The figures `EventTally` adds for vite-plugin-monitor's views. */
export type MonitorFigures = Pick<Stats, 'types' | 'levels' | 'http' | 'navigation'>;

/**
 * Type and level counts, errors per bucket, and what the `http` and `navigation` payloads give,
 * one event at a time (the reference: it keeps every timed call, stores should keep fewer).
 */
export class MonitorTally {
  readonly types = new Map<string, number>();
  readonly levels = new Map<string, number>();
  readonly bucketErrors: number[];
  #calls = 0;
  readonly #byClass = emptyByClass();
  #durationSum = 0;
  #timed = 0;
  readonly #endpoints = new Map<string, EndpointTotals>();
  readonly #slowCalls: HttpSlowCall[] = [];
  #navigations = 0;
  /** Steps by `from` and `to` (a map of maps: no separator can collide with a route). */
  readonly #steps = new Map<string, Map<string, number>>();

  constructor(buckets: number) {
    this.bucketErrors = new Array<number>(buckets).fill(0);
  }

  /** Count an event already known to be in range, in series bucket `bucket`. */
  add(event: EventRecord, bucket: number): void {
    this.types.set(event.type, (this.types.get(event.type) ?? 0) + 1);
    // Filters read an event stored without a level as `info`: the options must say the same.
    const level = event.level ?? 'info';
    this.levels.set(level, (this.levels.get(level) ?? 0) + 1);
    if (level === 'error') this.bucketErrors[bucket] = (this.bucketErrors[bucket] ?? 0) + 1;
    if (event.type === 'http') this.#call(event);
    else if (event.type === 'navigation') this.#navigate(event);
  }

  #call(event: EventRecord): void {
    const { key, statusClass, duration } = httpCallOf(event.payload);
    this.#calls++;
    if (statusClass !== undefined) this.#byClass[statusClass]++;
    let endpoint = this.#endpoints.get(key);
    if (endpoint === undefined) {
      endpoint = { key, calls: 0, errors: 0, durationSum: 0, timed: 0 };
      this.#endpoints.set(key, endpoint);
    }
    endpoint.calls++;
    if (isHttpError(statusClass)) endpoint.errors++;
    if (duration === undefined) return;
    this.#durationSum += duration;
    this.#timed++;
    endpoint.durationSum += duration;
    endpoint.timed++;
    this.#slowCalls.push({ key, duration, at: event.timestamp });
  }

  #navigate(event: EventRecord): void {
    this.#navigations++;
    const step = navigationStepOf(event.payload);
    if (step === undefined) return;
    let targets = this.#steps.get(step.from);
    if (targets === undefined) {
      targets = new Map();
      this.#steps.set(step.from, targets);
    }
    targets.set(step.to, (targets.get(step.to) ?? 0) + 1);
  }

  finish(top: number): MonitorFigures {
    const figures: MonitorFigures = {
      types: topCountRows(this.types, Number.POSITIVE_INFINITY),
      levels: topCountRows(this.levels, Number.POSITIVE_INFINITY),
    };
    if (this.#calls > 0) {
      figures.http = finishHttpStats(
        {
          calls: this.#calls,
          byClass: this.#byClass,
          durationSum: this.#durationSum,
          timed: this.#timed,
          endpoints: this.#endpoints.values(),
          slowCalls: this.#slowCalls,
        },
        top,
      );
    }
    if (this.#navigations > 0) {
      const steps: NavigationStep[] = [];
      for (const [from, targets] of this.#steps) {
        for (const [to, count] of targets) steps.push({ from, to, count });
      }
      figures.navigation = topNavigationSteps(steps, top);
    }
    return figures;
  }
}
