import type { ValidationIssue } from '@skopos/core';

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
   * Events not stored: dropped on purpose (bot, blacklisted IP, archived site, localhost…), or, in a
   * batch partly queued whose events do not all carry an `eventId`, refused by a pipeline that could
   * not take them (`queue_full`, `shut_down`, `store_failed`): re-sending the batch would store the
   * queued ones twice.
   */
  dropped: { index: number; reason: string }[];
  /** Events refused for what they contain or name (an unknown site…); re-sending them unchanged fails again. */
  rejected: { index: number; issues: ValidationIssue[] }[];
  /**
   * Refused events left out of `dropped` and `rejected` because `MAX_LISTED_PER_REASON` events
   * with the same reason are listed already (absent when none were left out).
   */
  omitted?: number;
}

/** Events listed per distinct reason; a batch of 500 events refused for one reason answers 5 lines, not 500. */
export const MAX_LISTED_PER_REASON = 5;
/** Issues listed per event; the rest is summed up in one more issue. */
const MAX_ISSUES_PER_EVENT = 5;
const MAX_FIELD_CHARS = 120;
const MAX_REASON_CHARS = 300;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** At most `MAX_ISSUES_PER_EVENT` issues, each of bounded length: an answer never echoes a huge value back. */
export function boundIssues(issues: readonly ValidationIssue[], eventField: string): ValidationIssue[] {
  const kept = issues.slice(0, MAX_ISSUES_PER_EVENT).map(({ field, reason }) => ({
    field: cut(field, MAX_FIELD_CHARS),
    reason: cut(reason, MAX_REASON_CHARS),
  }));
  const more = issues.length - kept.length;
  if (more > 0) kept.push({ field: eventField, reason: `and ${more} more issues` });
  return kept;
}

interface Listed {
  index: number;
  /** What makes two refusals "the same reason". */
  key: string;
}

/** Collects a batch's outcome event by event, then answers it with bounded lists. */
export class WriteOutcomeBuilder {
  accepted = 0;
  signals = 0;
  readonly #dropped: (Listed & { reason: string })[] = [];
  readonly #rejected: (Listed & { issues: ValidationIssue[] })[] = [];

  get droppedCount(): number {
    return this.#dropped.length;
  }

  drop(index: number, reason: string): void {
    this.#dropped.push({ index, reason, key: reason });
  }

  /** `issues` as the client should read them (`events.3.url`); `bare` without the index, to group them. */
  reject(index: number, issues: ValidationIssue[], bare: readonly ValidationIssue[]): void {
    const key = bare.map(({ field, reason }) => `${field}\u0000${reason}`).join('\u0001');
    this.#rejected.push({ index, issues, key });
  }

  build(): WriteOutcome {
    let omitted = 0;
    const capped = <T extends Listed>(entries: T[]): T[] => {
      const seen = new Map<string, number>();
      return entries
        .sort((a, b) => a.index - b.index)
        .filter((entry) => {
          const count = (seen.get(entry.key) ?? 0) + 1;
          seen.set(entry.key, count);
          if (count <= MAX_LISTED_PER_REASON) return true;
          omitted++;
          return false;
        });
    };
    const outcome: WriteOutcome = {
      accepted: this.accepted,
      signals: this.signals,
      dropped: capped(this.#dropped).map(({ index, reason }) => ({ index, reason })),
      rejected: capped(this.#rejected).map(({ index, issues }) => ({ index, issues })),
    };
    if (omitted > 0) outcome.omitted = omitted;
    return outcome;
  }
}
