import type { ValidationIssue } from './payload-types.ts';
import { truncate } from './text.ts';

/** Characters of a client's own value that an answer repeats; a longer value is cut and ends in `…`. */
export const ECHO_MAX_CHARS = 64;
/** Longest `field` of an answered issue: a dotted path whose keys come from the client. */
const FIELD_MAX_CHARS = 120;
/** Longest `reason` of an answered issue: room for the advice, not for a pasted value. */
const REASON_MAX_CHARS = 240;

/** `text` when it fits in `max` characters, else its first `max` and `…`. */
function boundedText(text: string, max: number = ECHO_MAX_CHARS): string {
  return text.length <= max ? text : `${truncate(text, max)}…`;
}

/**
 * An issue fit to send back to a client. Core's messages name the value at fault (`Website <id>
 * not found`); repeated for every refused event of a batch, a 7 KB site id turned a 40 KB request
 * into a 7 MB answer. Each value of `echoed` (what the transport passed in: a site id…) is cut to
 * `ECHO_MAX_CHARS` inside the reason, and field and reason are bounded whatever else they hold.
 *
 * @example
 * ```ts
 * const result = await skopos.track({ siteId, payload, request });
 * if (!result.ok) reply(boundedIssue({ field: 'siteId', reason: result.message }, [siteId]));
 * ```
 */
export function boundedIssue(issue: ValidationIssue, echoed: readonly string[] = []): ValidationIssue {
  return { field: boundedText(issue.field, FIELD_MAX_CHARS), reason: boundedReason(issue.reason, echoed) };
}

/** A message fit to send back to a client (an error's text): `echoed` values cut as in `boundedIssue`. */
export function boundedReason(reason: string, echoed: readonly string[] = []): string {
  let text = reason;
  for (const value of echoed) {
    if (value.length > ECHO_MAX_CHARS) text = text.replaceAll(value, boundedText(value));
  }
  return boundedText(text, REASON_MAX_CHARS);
}
