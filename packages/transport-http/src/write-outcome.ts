import { boundedIssue, boundedReason, issuesKey, RefusalList, type ValidationIssue } from '@skopos/core';

/** The 200 body of `POST {base}/events`. */
export interface WriteOutcome {
  /** Events queued for the store. */
  accepted: number;
  /**
   * Engagement signals of Skopos' tracker (visible time of a page): they update the visitor's
   * session and are not events, so they are not in `accepted`.
   */
  signals: number;
  /**
   * Of `accepted`: events this server had already (a re-sent event, recognised by its `eventId` or
   * vite-plugin-monitor identity); they changed nothing. Absent when there were none.
   */
  duplicates?: number;
  /**
   * Events not stored: dropped on purpose (bot, blacklisted IP, archived site, localhost…), or, in a
   * batch partly queued whose events do not all carry an `eventId`, refused by a pipeline that could
   * not take them (`queue_full`, `shut_down`, `store_failed`): re-sending the batch would store the
   * queued ones twice. `detail` names the check for people (`bot: user-agent`, `blacklisted ip`).
   */
  dropped: { index: number; reason: string; detail?: string }[];
  /** Events refused for what they contain or name (an unknown site…); re-sending them unchanged fails again. */
  rejected: { index: number; issues: ValidationIssue[] }[];
  /**
   * Refused events left out of `dropped` and `rejected` because core's `MAX_LISTED_PER_REASON` events
   * with the same reason are listed already, or the lists reached `MAX_LISTED_BYTES` (absent when
   * none were left out).
   */
  omitted?: number;
}

/** Issues listed per event; the rest is summed up in one more issue. */
const MAX_ISSUES_PER_EVENT = 5;

/**
 * At most `MAX_ISSUES_PER_EVENT` issues, each bounded by core's `boundedIssue`: an answer never
 * echoes a huge value back; `echoed` names the values the request carried (its site id).
 */
export function boundIssues(
  issues: readonly ValidationIssue[],
  eventField: string,
  echoed: readonly string[] = [],
): ValidationIssue[] {
  const kept = issues.slice(0, MAX_ISSUES_PER_EVENT).map((issue) => boundedIssue(issue, echoed));
  const more = issues.length - kept.length;
  if (more > 0) kept.push({ field: eventField, reason: `and ${more} more issues` });
  return kept;
}

/**
 * The answers of batches whose events were all accepted, by count: the common case, serialised once
 * rather than per request (`JSON.stringify(build())` gives the same text). At most
 * `LIMITS.maxBatchEvents` + 1 entries, as a batch has at most that many events.
 */
const allAccepted: string[] = [];

/** Collects a batch's outcome event by event, then answers it with bounded lists. */
export class WriteOutcomeBuilder {
  accepted = 0;
  signals = 0;
  duplicates = 0;
  readonly #dropped: { index: number; reason: string; detail: string | undefined }[] = [];
  /** `key`: what makes two rejections "the same reason" (their issues without the event's index). */
  readonly #rejected: { index: number; issues: ValidationIssue[]; key: string }[] = [];

  get droppedCount(): number {
    return this.#dropped.length;
  }

  /** `detail`: the track result's, bounded here (it may name the site id the request carried). */
  drop(index: number, reason: string, detail?: string, echoed: readonly string[] = []): void {
    this.#dropped.push({
      index,
      reason,
      detail: detail === undefined ? undefined : boundedReason(detail, echoed),
    });
  }

  /** `issues` as the client should read them (`events.3.url`); `bare` without the index, to group them. */
  reject(index: number, issues: ValidationIssue[], bare: readonly ValidationIssue[]): void {
    this.#rejected.push({ index, issues, key: issuesKey(bare) });
  }

  /** `build()` as JSON text. */
  toJson(): string {
    const simple =
      this.signals === 0 &&
      this.duplicates === 0 &&
      this.#dropped.length === 0 &&
      this.#rejected.length === 0;
    if (!simple) return JSON.stringify(this.build());
    allAccepted[this.accepted] ??= JSON.stringify(this.build());
    return allAccepted[this.accepted] as string;
  }

  build(): WriteOutcome {
    // Listed in event order, drops first: the budget goes to the earliest refusals.
    const lists = new RefusalList();
    for (const { index, reason, detail } of this.#dropped.sort((a, b) => a.index - b.index))
      lists.drop(index, reason, detail);
    for (const { index, issues, key } of this.#rejected.sort((a, b) => a.index - b.index)) {
      lists.reject(index, issues, key);
    }
    const outcome: WriteOutcome = {
      accepted: this.accepted,
      signals: this.signals,
      dropped: lists.dropped,
      rejected: lists.rejected,
    };
    if (this.duplicates > 0) outcome.duplicates = this.duplicates;
    if (lists.omitted > 0) outcome.omitted = lists.omitted;
    return outcome;
  }
}
