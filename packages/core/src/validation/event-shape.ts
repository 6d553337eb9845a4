import type { WireEvent } from './event-schema.ts';
import { LIMITS } from './limits.ts';
import { isAbsent, isOptionalNumber, isOptionalText, isText } from './plain-values.ts';
import { hasControlChars } from './text.ts';

/**
 * `wireEventSchema`'s check by hand, for the payloads that plainly pass it: the hot path of every
 * event, where Zod's walk cost ~7 % of an ingest server's CPU. It answers only when sure — every
 * field of the right type, a string's UTF-16 length within the limit (Zod counts code points, never
 * more) — and `undefined` for anything else, which Zod then checks to word the issues. A property
 * test holds it to Zod: whatever it accepts, Zod accepts with the same values.
 *
 * Each field is read once, into the view it answers (a getter cannot change a value after its check).
 */
export function plainWireEvent(input: Record<string, unknown>): Partial<WireEvent> | undefined {
  const type = input.type;
  if (type !== 'pageView' && type !== 'custom' && type !== 'jsError' && type !== 'engagement')
    return undefined;
  const url = input.url;
  if (typeof url !== 'string' || url.length > LIMITS.urlMaxChars) return undefined;
  const name = input.name;
  if (type === 'custom' ? !isText(name, LIMITS.nameMaxChars) : !isOptionalText(name, LIMITS.nameMaxChars))
    return undefined;
  const errorMessage = input.errorMessage;
  const errorMax = LIMITS.errorMessageMaxChars;
  if (type === 'jsError' ? !isText(errorMessage, errorMax) : !isOptionalText(errorMessage, errorMax))
    return undefined;
  const duration = input.duration;
  if (type === 'engagement' ? !isEngagementSeconds(duration) : !isOptionalNumber(duration)) return undefined;
  const referrer = input.referrer;
  const language = input.language;
  const stackTrace = input.stackTrace;
  const screenWidth = input.screenWidth;
  const screenHeight = input.screenHeight;
  const siteId = input.siteId;
  const eventId = input.eventId;
  const ts = input.ts;
  if (
    !isOptionalText(referrer, LIMITS.referrerMaxChars) ||
    !isOptionalText(language, LIMITS.languageMaxChars) ||
    !isOptionalText(stackTrace, LIMITS.stackTraceMaxChars) ||
    !isOptionalNumber(screenWidth) ||
    !isOptionalNumber(screenHeight) ||
    !isOptionalNumber(ts) ||
    (typeof ts === 'number' && ts < 0) ||
    !isOptionalId(eventId, LIMITS.eventIdMaxChars) ||
    !isOptionalId(siteId, LIMITS.siteIdMaxChars) ||
    (typeof siteId === 'string' && hasControlChars(siteId))
  ) {
    return undefined;
  }
  // One of the union's members by the checks above (TypeScript cannot follow `type` through them).
  const view = {
    type,
    url,
    name: name as string | null | undefined,
    referrer: referrer as string | null | undefined,
    screenWidth: screenWidth as number | null | undefined,
    screenHeight: screenHeight as number | null | undefined,
    language: language as string | null | undefined,
    customData: input.customData,
    errorMessage: errorMessage as string,
    stackTrace: stackTrace as string | null | undefined,
    siteId: siteId as string | null | undefined,
    eventId: eventId as string | null | undefined,
    ts: ts as number | null | undefined,
    duration: duration as number,
  };
  return view as Partial<WireEvent>;
}

/** A non-empty string within `max` (Zod's `min(1).max(max)`). */
function isOptionalId(value: unknown, max: number): boolean {
  return isAbsent(value) || (isText(value, max) && value.length > 0);
}

function isEngagementSeconds(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= LIMITS.engagementMaxSeconds;
}
