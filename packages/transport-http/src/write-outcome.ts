import { boundedIssue, utf8Length, type ValidationIssue } from '@skopos/core';

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
   * queued ones twice.
   */
  dropped: { index: number; reason: string }[];
  /** Events refused for what they contain or name (an unknown site…); re-sending them unchanged fails again. */
  rejected: { index: number; issues: ValidationIssue[] }[];
  /**
   * Refused events left out of `dropped` and `rejected` because `MAX_LISTED_PER_REASON` events
   * with the same reason are listed already, or the lists reached `MAX_LISTED_BYTES` (absent when
   * none were left out).
   */
  omitted?: number;
}

/** Events listed per distinct reason; a batch of 500 events refused for one reason answers 5 lines, not 500. */
export const MAX_LISTED_PER_REASON = 5;
/**
 * UTF-8 bytes of the `dropped` and `rejected` lists together: with the counts an answer stays under
 * 4 KB, even for a batch whose every event is refused for a reason of its own (500 unknown sites).
 */
export const MAX_LISTED_BYTES = 3072;
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

interface Listed {
  index: number;
  /** What makes two refusals "the same reason". */
  key: string;
}

/** Collects a batch's outcome event by event, then answers it with bounded lists. */
export class WriteOutcomeBuilder {
  accepted = 0;
  signals = 0;
  duplicates = 0;
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
    let room = MAX_LISTED_BYTES;
    const capped = <T extends Listed, L>(entries: T[], listed: (entry: T) => L): L[] => {
      const seen = new Map<string, number>();
      const kept: L[] = [];
      for (const entry of entries.sort((a, b) => a.index - b.index)) {
        const count = (seen.get(entry.key) ?? 0) + 1;
        seen.set(entry.key, count);
        if (count > MAX_LISTED_PER_REASON) {
          omitted++;
          continue;
        }
        const line = listed(entry);
        // +1 for the comma between entries.
        const size = utf8Length(JSON.stringify(line)) + 1;
        if (size > room) {
          omitted++;
          continue;
        }
        room -= size;
        kept.push(line);
      }
      return kept;
    };
    const outcome: WriteOutcome = {
      accepted: this.accepted,
      signals: this.signals,
      dropped: capped(this.#dropped, ({ index, reason }) => ({ index, reason })),
      rejected: capped(this.#rejected, ({ index, issues }) => ({ index, issues })),
    };
    if (this.duplicates > 0) outcome.duplicates = this.duplicates;
    if (omitted > 0) outcome.omitted = omitted;
    return outcome;
  }
}
