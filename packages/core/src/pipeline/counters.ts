import { DropHistory } from './drop-history.ts';
import type { DropReason } from './types.ts';

export const DROP_REASONS: readonly DropReason[] = [
  'invalid',
  'unknown_site',
  'archived',
  'domain_mismatch',
  'ip_blacklisted',
  'localhost',
  'bot',
  'queue_full',
  'overflow',
  'short_session',
  'store_rejected',
  'shut_down',
];

/** Count in, count out: accepted = stored + pending + dropped after acceptance (overflow, short_session, store_rejected). */
export class PipelineTally {
  accepted = 0;
  /**
   * Events queued again without being accepted here: an earlier run journaled them and the store had
   * not confirmed them; or, with shared sessions, a re-send whose first copy another process claimed
   * (it may have died before storing it: the row is written again, a no-op when it was stored).
   */
  recovered = 0;
  stored = 0;
  /** Engagement signals received (they update sessions and are never stored as events). */
  signals = 0;
  /** Re-sent events recognised by their id: answered as accepted, nothing changed (not in `accepted`). */
  duplicates = 0;
  discardedSessions = 0;
  /** Events recorded in this process's sessions because the shared session store failed. */
  sessionFallbacks = 0;
  readonly dropped: Record<DropReason, number> = Object.fromEntries(
    DROP_REASONS.map((r) => [r, 0]),
  ) as Record<DropReason, number>;

  /**
   * Drops per website record id and reason, for the drops made once the site is known (bots,
   * blocked IPs, localhost, domain mismatch): keyed by known sites only, so it stays small.
   */
  readonly droppedBySite = new Map<string, Partial<Record<DropReason, number>>>();
  /** The same drops over time, for a range's counts. */
  readonly dropHistory: DropHistory;

  /** `startedAt`: since when drops are counted (unknown: the first drop or question, see `DropHistory`). */
  constructor(startedAt?: number) {
    this.dropHistory = new DropHistory(startedAt);
  }

  siteDropped(website: string, reason: DropReason, now: number): void {
    this.dropHistory.add(website, reason, now);
    let counts = this.droppedBySite.get(website);
    if (counts === undefined) {
      counts = {};
      this.droppedBySite.set(website, counts);
    }
    counts[reason] = (counts[reason] ?? 0) + 1;
  }

  drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
  }
}

/** The HTTP status a server answers for each drop: client errors for bad input, 202 for silent policy drops so trackers do not retry. */
export const DROP_STATUS: Record<DropReason, number> = {
  invalid: 400,
  unknown_site: 404,
  domain_mismatch: 403,
  archived: 202,
  ip_blacklisted: 202,
  localhost: 202,
  bot: 202,
  short_session: 202,
  // Never answered: the store refuses an event after the request that brought it was answered.
  store_rejected: 202,
  queue_full: 503,
  overflow: 503,
  shut_down: 503,
};
