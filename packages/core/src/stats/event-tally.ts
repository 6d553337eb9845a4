import { isPageView, isUserCustomEvent } from '../model/event-types.ts';
import type { StatsQuery } from '../model/query.ts';
import type { EventRecord } from '../model/records.ts';
import { MonitorTally } from './monitor-tally.ts';
import { type SeriesLayout, seriesLayout } from './series-layout.ts';

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/**
 * The figures that events alone give, accumulated one event at a time so that a fallback can stream
 * pages without holding them all. Events outside the query's website or [since, until) are ignored.
 */
export class EventTally {
  readonly layout: SeriesLayout;
  events = 0;
  pageviews = 0;
  /** Page-view counts by `path`. */
  readonly pages = new Map<string, number>();
  /** Custom-event counts by `eventName`. */
  readonly eventNames = new Map<string, number>();
  readonly bucketPageviews: number[];
  readonly bucketEvents: number[];
  /** Distinct session ids per bucket. */
  readonly bucketSessions: Set<string>[];
  /** Distinct session ids in order of their first event. */
  readonly sessionIds = new Set<string>();
  /** Types, levels, errors per bucket, HTTP calls and navigation steps. */
  readonly monitor: MonitorTally;
  readonly #website: string | undefined;
  readonly #since: number;
  readonly #until: number;

  constructor(query: StatsQuery) {
    this.layout = seriesLayout(query);
    this.#website = query.website;
    this.#since = query.since;
    this.#until = query.until;
    const { count } = this.layout;
    this.bucketPageviews = new Array<number>(count).fill(0);
    this.bucketEvents = new Array<number>(count).fill(0);
    this.bucketSessions = Array.from({ length: count }, () => new Set<string>());
    this.monitor = new MonitorTally(count);
  }

  add(event: EventRecord): void {
    const { timestamp } = event;
    if (!(timestamp >= this.#since && timestamp < this.#until)) return;
    if (this.#website !== undefined && event.website !== this.#website) return;
    const bucket = Math.floor((timestamp - this.layout.start) / this.layout.bucketMs);
    this.events++;
    this.bucketEvents[bucket] = (this.bucketEvents[bucket] ?? 0) + 1;
    if (isPageView(event)) {
      this.pageviews++;
      this.bucketPageviews[bucket] = (this.bucketPageviews[bucket] ?? 0) + 1;
      increment(this.pages, event.path);
    } else if (isUserCustomEvent(event)) {
      increment(this.eventNames, event.eventName);
    }
    this.sessionIds.add(event.session);
    this.bucketSessions[bucket]?.add(event.session);
    this.monitor.add(event, bucket);
  }
}
