import * as z from 'zod';
import { EVENT_LEVELS, MONITOR_EVENT_TYPES, type MonitorEventType } from '../model/event-types.ts';
import { LIMITS } from './limits.ts';

/**
 * The wire shape of vite-plugin-monitor's `TrackerEvent` (types and wire limits only; stored cuts
 * and the JSON checks of `payload`, `meta` and `context` are done in `monitor-event.ts`). Optional
 * fields accept `null` as absent; unknown top-level keys are ignored.
 */
const clientId = z.string().max(LIMITS.clientIdMaxChars).nullish();

export const monitorEnvelopeSchema = z.object({
  type: z.enum(MONITOR_EVENT_TYPES),
  level: z.enum(EVENT_LEVELS).nullish(),
  timestamp: z.string().max(LIMITS.timestampMaxChars).nullish(),
  appId: z.string().max(LIMITS.siteIdMaxChars).nullish(),
  sessionId: clientId,
  userId: z.string().max(LIMITS.monitorLabelWireMaxChars).nullish(),
  groupId: z.string().max(LIMITS.monitorLabelWireMaxChars).nullish(),
  /** vite-plugin-monitor 2.x sends `""`; only a non-empty id is an identity. */
  id: clientId,
  payload: z.unknown(),
  meta: z.unknown().optional(),
  context: z.unknown().optional(),
});

const num = z.number().refine(Number.isFinite, { error: 'must be a finite number' });
const text = z.string();

/**
 * Each payload's fields as vite-plugin-monitor's types declare them. Objects are loose: keys a
 * newer client adds are kept (the payload's JSON size bounds them all).
 */
export const monitorPayloadSchemas: Record<MonitorEventType, z.ZodType> = {
  click: z.looseObject({
    tag: text,
    text: text.nullish(),
    id: text.nullish(),
    classes: text.nullish(),
    xpath: text.nullish(),
    coordinates: z.looseObject({ x: num, y: num }).nullish(),
  }),
  http: z.looseObject({
    method: text,
    url: text,
    status: num.nullish(),
    duration: num.nullish(),
    error: text.nullish(),
  }),
  error: z.looseObject({
    message: text,
    stack: text.nullish(),
    filename: text.nullish(),
    lineno: num.nullish(),
    colno: num.nullish(),
    errorType: text.nullish(),
  }),
  navigation: z.looseObject({
    from: text.nullish(),
    to: text,
    trigger: text.nullish(),
    duration: num.nullish(),
  }),
  console: z.looseObject({
    method: text,
    message: text,
    args: z.array(z.unknown()).nullish(),
    stack: text.nullish(),
    groupDepth: num.nullish(),
  }),
  custom: z.looseObject({ name: text, data: z.unknown().optional(), duration: num.nullish() }),
  session: z.looseObject({
    action: z.enum(['start', 'end']),
    trigger: text.nullish(),
    previousUserId: text.nullish(),
    newUserId: text.nullish(),
  }),
};
