import type { EventPage, EventQuery } from '../model/query.ts';
import type { MaybePromise } from '../util/maybe-promise.ts';
import { toReadEvent } from './read-event.ts';
import { Utf8Pieces } from './utf8-pieces.ts';

/**
 * Most events a whole-window read answers: the memory store's default size, which is also
 * vite-plugin-monitor's own buffer, whose server answers every event it holds. The answer is
 * streamed, so memory stays at one store page whatever the window holds.
 */
export const MAX_WINDOW_EVENTS = 500_000;

/** Events asked of the store first, and per step at most: a step of small events is a few MB of JSON. */
const FIRST_STEP_EVENTS = 100;
const MAX_STEP_EVENTS = 5000;
/** A step asks at most this many times the events of the one before. */
const STEP_GROWTH = 4;
/** Bytes of JSON a step aims at, from the size of the events seen so far (events reach ~50 KB). */
const STEP_BYTES = 4 * 1024 * 1024;
/** Bytes of a piece at most, whatever the page: memory stays at a few MB. */
const PIECE_BYTES = 1024 * 1024;

/** A read answered as it is produced: `total` is known before the first byte goes out. */
export interface ReadStream {
  /** Events matching the query, across all pages. */
  total: number;
  /**
   * The answer's members without braces, as UTF-8 in pieces of at most 1 MB: `"events":[…]`,
   * `"total":N` and, when `maxEvents`, `maxBytes` or `deadline` stopped the read, `"nextCursor"`.
   * A piece may end inside an event (never inside a character). A store failure after the first
   * page is thrown from the iterator: the answer must then be broken off, not ended.
   */
  pieces: AsyncIterable<Uint8Array>;
}

export interface ReadStreamOptions {
  /** Events answered at most (default `MAX_WINDOW_EVENTS`). */
  maxEvents?: number | undefined;
  /** The `appId` of events stored before they kept their own. */
  trackingId?: string | undefined;
  /** Epoch ms after which no store page is read: the answer ends there, with `nextCursor`. */
  deadline?: number | undefined;
  /** Bytes of JSON after which no store page is read (the answer ends as with `deadline`). */
  maxBytes?: number | undefined;
}

/**
 * Up to `maxEvents` events of `query` in the read shape, following the store's cursors. The first
 * page is read at once (so a failing store or a bad cursor is known before anything is sent), the
 * others as `pieces` is pulled, each step sized from the events seen so far, so a slow reader holds
 * a few MB, not the window, whatever the events weigh.
 *
 * @example
 * const stream = await openReadStream((q) => skopos.query(q), { order: 'desc' });
 * const decoder = new TextDecoder();
 * let body = '{';
 * for await (const piece of stream.pieces) body += decoder.decode(piece, { stream: true });
 * body += `${decoder.decode()},"page":1}`;
 */
export async function openReadStream(
  read: (query: EventQuery) => MaybePromise<EventPage>,
  query: EventQuery,
  options: ReadStreamOptions = {},
): Promise<ReadStream> {
  const { trackingId, deadline, maxBytes = Number.POSITIVE_INFINITY } = options;
  const maxEvents = options.maxEvents ?? MAX_WINDOW_EVENTS;
  // A window that ends before it starts (a date picker's from after its to) holds nothing, as
  // vite-plugin-monitor's server answers it; no store is asked about it.
  const empty = query.since !== undefined && query.until !== undefined && query.since >= query.until;
  const first: EventPage = empty
    ? { events: [], total: 0 }
    : await read({ ...query, limit: Math.min(maxEvents, FIRST_STEP_EVENTS) });
  const { offset: _offset, ...rest } = query;
  async function* pieces(): AsyncGenerator<Uint8Array> {
    const out = new Utf8Pieces(PIECE_BYTES);
    let page = first;
    let sent = 0;
    let cursor: string | undefined;
    let step = FIRST_STEP_EVENTS;
    out.write('"events":[');
    for (;;) {
      const taken =
        page.events.length <= maxEvents - sent ? page.events : page.events.slice(0, maxEvents - sent);
      const before = out.written;
      for (const event of taken) {
        if (sent > 0) out.write(',');
        out.write(JSON.stringify(toReadEvent(event, trackingId)));
        sent += 1;
        if (out.hasFull) yield* out.take();
      }
      yield* out.take();
      const pageBytes = out.written - before;
      // A store answering more than asked leaves no cursor that would resume after the cut.
      cursor = taken.length === page.events.length ? page.nextCursor : undefined;
      if (cursor === undefined || taken.length === 0 || sent >= maxEvents) break;
      if (out.written >= maxBytes || (deadline !== undefined && Date.now() >= deadline)) break;
      // Sized from the heavier of the last page and all so far (large events after small ones
      // shrink the next step at once), and growing at most 4× a step (small events first do not
      // make the next page 5000 events, whatever those weigh).
      const perEvent = Math.max(out.written / sent, pageBytes / taken.length);
      const fits = Math.floor(STEP_BYTES / perEvent);
      step = Math.max(1, Math.min(MAX_STEP_EVENTS, fits, step * STEP_GROWTH));
      page = await read({ ...rest, cursor, limit: Math.min(maxEvents - sent, step) });
    }
    out.write(`],"total":${first.total}`);
    if (cursor !== undefined) out.write(`,"nextCursor":${JSON.stringify(cursor)}`);
    yield* out.take();
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
