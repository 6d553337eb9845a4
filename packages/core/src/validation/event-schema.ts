import * as z from 'zod';
import type { EventType } from '../model/event-types.ts';
import { LIMITS } from './limits.ts';
import { hasControlChars } from './text.ts';

/**
 * The wire shape of one event (the original Skopos SDK payload + vite-plugin-monitor TrackerEvent): types and wire limits
 * only. Sanitising (URL parsing, stripping, cutting, clamping, `customData`) is done by hand in
 * `event.ts`, because Zod transforms cost ~5× the plain shape check on the hot path.
 * Optional fields accept `null` as "absent"; unknown keys are dropped (forward compatibility).
 */

const optionalText = (max: number) => z.string().max(max).nullish();
const requiredFor = (type: EventType, max: number) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `is required for ${type} events` : undefined) })
    .max(max);

const baseFields = {
  url: z.string().max(LIMITS.urlMaxChars),
  name: optionalText(LIMITS.nameMaxChars),
  referrer: optionalText(LIMITS.referrerMaxChars),
  screenWidth: z.number().nullish(),
  screenHeight: z.number().nullish(),
  language: optionalText(LIMITS.languageMaxChars),
  customData: z.unknown().optional(),
  errorMessage: optionalText(LIMITS.errorMessageMaxChars),
  stackTrace: optionalText(LIMITS.stackTraceMaxChars),
  siteId: z
    .string()
    .min(1)
    .max(LIMITS.siteIdMaxChars)
    .refine((s) => !hasControlChars(s), { error: 'must not contain control characters' })
    .nullish(),
  // Its characters are checked by hand in event.ts: a Zod regex costs a third of this check's time.
  eventId: z.string().min(1).max(LIMITS.eventIdMaxChars).nullish(),
  ts: z.number().min(0).nullish(),
  duration: z.number().nullish(),
};

/** Every field but `type`: checked alone when `type` is wrong, so that one answer lists every problem. */
export const baseEventSchema = z.object(baseFields);

export const wireEventSchema = z.discriminatedUnion('type', [
  z.object({ ...baseFields, type: z.literal('pageView') }),
  z.object({ ...baseFields, type: z.literal('custom'), name: requiredFor('custom', LIMITS.nameMaxChars) }),
  z.object({
    ...baseFields,
    type: z.literal('jsError'),
    errorMessage: requiredFor('jsError', LIMITS.errorMessageMaxChars),
  }),
  // Skopos' tracker reports a page's visible time; it updates the session and is not stored.
  z.object({
    ...baseFields,
    type: z.literal('engagement'),
    duration: z.number().min(0).max(LIMITS.engagementMaxSeconds),
  }),
]);

export type WireEvent = z.output<typeof wireEventSchema>;
