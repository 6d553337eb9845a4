import type { ValidationIssue } from './payload-types.ts';
import { utf8Length } from './text.ts';

/** Refused events listed per distinct reason; a batch of 500 events refused for one reason answers 5 lines, not 500. */
export const MAX_LISTED_PER_REASON = 5;
/**
 * UTF-8 bytes of the `dropped` and `rejected` lists together: with the counts an answer stays under
 * 4 KB, even for a batch whose every event is refused for a reason of its own (500 unknown sites).
 */
export const MAX_LISTED_BYTES = 3072;

/** What makes two rejections "the same reason": the same fields with the same reasons. */
export function issuesKey(issues: readonly ValidationIssue[]): string {
  return issues.map(({ field, reason }) => `${field}\u0000${reason}`).join('\u0001');
}

/**
 * The refusal lists of a batch's answer (HTTP and WebSocket alike), bounded so that a batch of bad
 * events still gets a small answer: the same reason listed `MAX_LISTED_PER_REASON` times at most,
 * both lists within `MAX_LISTED_BYTES`; what is left out is counted in `omitted`.
 */
export class RefusalList {
  /** `detail`: which check dropped the event, for people (a track result's `detail`). */
  readonly dropped: { index: number; reason: string; detail?: string }[] = [];
  readonly rejected: { index: number; issues: ValidationIssue[] }[] = [];
  omitted = 0;
  readonly #seen = new Map<string, number>();
  #room = MAX_LISTED_BYTES;

  /** Drops with the same reason and detail are grouped; pass a bounded `detail` (see `boundedReason`). */
  drop(index: number, reason: string, detail?: string): void {
    const entry = detail === undefined ? { index, reason } : { index, reason, detail };
    if (this.#fits(`dropped\u0000${reason}\u0000${detail ?? ''}`, entry)) this.dropped.push(entry);
  }

  /** `key` groups rejections (default: the issues themselves; pass one without the event's index). */
  reject(index: number, issues: ValidationIssue[], key = issuesKey(issues)): void {
    const entry = { index, issues };
    if (this.#fits(`rejected\u0000${key}`, entry)) this.rejected.push(entry);
  }

  #fits(key: string, entry: object): boolean {
    const count = (this.#seen.get(key) ?? 0) + 1;
    this.#seen.set(key, count);
    if (count <= MAX_LISTED_PER_REASON) {
      // +1 for the comma between entries.
      const size = utf8Length(JSON.stringify(entry)) + 1;
      if (size <= this.#room) {
        this.#room -= size;
        return true;
      }
    }
    this.omitted += 1;
    return false;
  }
}
