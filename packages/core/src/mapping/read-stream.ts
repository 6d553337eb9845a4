import type { EventPage, EventQuery } from '../model/query.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import { toReadEvent } from './read-event.ts';

/**
 * Most events a whole-window read answers: the memory store's default size, which is also
 * vite-plugin-monitor's own buffer, whose server answers every event it holds. The answer is
 * streamed, so memory stays at one store page whatever the window holds.
 */
export const MAX_WINDOW_EVENTS = 500_000;

/** Events asked of the store per step: a few MB of JSON, a few ms of the event loop. */
const STEP_EVENTS = 5000;

/** A read answered as it is produced: `total` is known before the first byte goes out. */
export interface ReadStream {
  /** Events matching the query, across all pages. */
  total: number;
  /**
   * The answer's members without braces, in pieces, one store page at a time: `"events":[…]`,
   * `"total":N` and, when `maxEvents` stopped the read, `"nextCursor"`. A store failure after the
   * first page is thrown from the iterator: the answer must then be broken off, not ended.
   */
  pieces: AsyncIterable<string>;
}

/**
 * Up to `maxEvents` events of `query` in the read shape, following the store's cursors. The first
 * page is read at once (so a failing store or a bad cursor is known before anything is sent), the
 * others as `pieces` is pulled, so a slow reader holds one page, not the window.
 *
 * @example
 * const stream = await openReadStream((q) => skopos.query(q), { order: 'desc' });
 * let body = '{';
 * for await (const piece of stream.pieces) body += piece;
 * body += ',"page":1}';
 */
export async function openReadStream(
  read: (query: EventQuery) => MaybePromise<EventPage>,
  query: EventQuery,
  maxEvents: number = MAX_WINDOW_EVENTS,
  trackingId?: string,
): Promise<ReadStream> {
  // A window that ends before it starts (a date picker's from after its to) holds nothing, as
  // vite-plugin-monitor's server answers it; no store is asked about it.
  const empty = query.since !== undefined && query.until !== undefined && query.since >= query.until;
  const first: EventPage = empty
    ? { events: [], total: 0 }
    : await read({ ...query, limit: Math.min(maxEvents, STEP_EVENTS) });
  const { offset: _offset, ...rest } = query;
  async function* pieces(): AsyncGenerator<string> {
    let page = first;
    let sent = 0;
    let open = '"events":[';
    let cursor: string | undefined;
    for (;;) {
      const taken =
        page.events.length <= maxEvents - sent ? page.events : page.events.slice(0, maxEvents - sent);
      if (taken.length > 0) {
        yield open + taken.map((event) => JSON.stringify(toReadEvent(event, trackingId))).join(',');
        open = ',';
        sent += taken.length;
      }
      // A store answering more than asked leaves no cursor that would resume after the cut.
      cursor = taken.length === page.events.length ? page.nextCursor : undefined;
      if (cursor === undefined || taken.length === 0 || sent >= maxEvents) break;
      page = await read({ ...rest, cursor, limit: Math.min(maxEvents - sent, STEP_EVENTS) });
    }
    const close = open === ',' ? ']' : `${open}]`;
    yield cursor === undefined
      ? `${close},"total":${first.total}`
      : `${close},"total":${first.total},"nextCursor":${JSON.stringify(cursor)}`;
  }
  return { total: first.total, pieces: pieces() };
}

/**
 * Whole-window reads answered at once, per server (HTTP and WebSocket count apart): each one
 * serialises up to `MAX_WINDOW_EVENTS` events, a second or more of CPU, so a few dashboards fit
 * and a flood of reads cannot starve the writes.
 */
export const MAX_WINDOW_READS = 4;

/** Counts whole-window reads in progress; `take()` gives a release function, or `undefined` when all places are taken. */
export interface WindowReadLimit {
  take(): (() => void) | undefined;
  readonly inProgress: number;
}

/**
 * @example
 * const reads = createWindowReadLimit(4);
 * const release = reads.take();
 * if (!release) return busy();
 * try { … } finally { release(); }
 */
export function createWindowReadLimit(max: number = MAX_WINDOW_READS): WindowReadLimit {
  let inProgress = 0;
  return {
    take() {
      if (inProgress >= max) return undefined;
      inProgress += 1;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        inProgress -= 1;
      };
    },
    get inProgress() {
      return inProgress;
    },
  };
}
