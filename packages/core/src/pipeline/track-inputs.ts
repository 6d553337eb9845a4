import type { BatchToken } from './copy-numbers.ts';
import type { RequestContext } from './types.ts';

/** What the pipeline's calls take: `track`, `trackServer`, `identify`. */

export interface TrackInput {
  /** Tracking id (`websites.trackingId`). */
  siteId: string;
  /** Untrusted: validated and sanitised here. */
  payload: unknown;
  request: RequestContext;
  /**
   * One object per batch a client sent (the same for each of its events, a new one for each batch
   * received, a re-sent one included), with `size`, its number of events. Identical
   * vite-plugin-monitor events without an `id` of one tab are then as many events (the n-th copy
   * gets an identity of its own, the same when the batch is re-sent), also when the client's queue
   * split them over two batches; without it they count once, as copies of one event. Consecutive
   * events of a batch with one `request` object, site and page hostname are judged by the client
   * rules (IP blacklist, localhost, bots) once: change neither the request nor its headers within
   * a batch.
   */
  batch?: BatchToken | undefined;
  /** Override the clock (tests, replays). */
  now?: number;
  /**
   * With a journal: answer once the event is durable (default true). A caller tracking a batch
   * passes false for each event and awaits `sync()` once before it answers its client, so the batch
   * shares one group commit instead of one per event.
   */
  sync?: boolean;
}

export interface TrackServerInput {
  siteId: string;
  eventName: string;
  customData?: Record<string, unknown> | undefined;
  /** The request that caused the event, to attach it to the caller's visitor; optional for cron jobs. */
  request?: RequestContext | undefined;
  /** Page path to record (default `/`). */
  path?: string;
  /** The page that led to it (the request's `Referer`): kept as a browser event's is, unless it is a page of the site itself. */
  referrer?: string | undefined;
  /**
   * Your id for this event (1–64 of `[A-Za-z0-9_-]`, e.g. a webhook delivery id): a call repeated
   * with the same id (a retried job) is recorded once, like a re-sent browser event.
   */
  eventId?: string | undefined;
  now?: number;
}

export interface IdentifyInput {
  siteId: string;
  request: RequestContext;
  userId: string;
  userData?: UserData | undefined;
  now?: number;
}

export interface UserData {
  name?: string;
  email?: string;
  phone?: string;
  /** JSON ≤ 8 KB. */
  metadata?: Record<string, unknown>;
}
