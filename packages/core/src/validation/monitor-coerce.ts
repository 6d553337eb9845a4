import { EVENT_LEVELS, type EventLevel, type MonitorEventType } from '../model/event-types.ts';
import { isPlainObject } from './values.ts';

/**
 * vite-plugin-monitor's client sends what the app hands it: `setUser(42)`, a rejection whose reason
 * has an array `message` (a NestJS error body), `track('')`, `level: 'warning'`, a click on a form
 * whose `id` is a child element. Its own server stores any of it, and its client never reads a
 * refusal: refused here, such an event would be lost. These read the loose values as the types the
 * peer declares, so that everything downstream (stores, dashboards, the peer's dashboard reading
 * back) sees the declared types. They run only for events the hand checks (`monitor-shape.ts`) did
 * not pass, so a well-formed event pays nothing; what they cannot read (an unknown `type`, a
 * missing `payload`, ids over their limits) is still refused by the schemas, naming the field.
 */

/** Level words other loggers use, as the four levels Skopos stores; any other word is `info`. */
const LEVEL_WORDS: ReadonlyMap<string, EventLevel> = new Map([
  ['trace', 'debug'],
  ['verbose', 'debug'],
  ['log', 'info'],
  ['notice', 'info'],
  ['warning', 'warn'],
  ['fatal', 'error'],
  ['critical', 'error'],
  ['alert', 'error'],
  ['emergency', 'error'],
]);

/** Declared text and number fields of each payload (`monitorPayloadSchemas`; a test holds them equal). */
export const MONITOR_PAYLOAD_FIELDS: Readonly<
  Record<
    MonitorEventType,
    { required: readonly string[]; text: readonly string[]; numbers: readonly string[] }
  >
> = {
  click: { required: ['tag'], text: ['text', 'id', 'classes', 'xpath'], numbers: [] },
  http: { required: ['method', 'url'], text: ['error'], numbers: ['status', 'duration'] },
  error: { required: ['message'], text: ['stack', 'filename', 'errorType'], numbers: ['lineno', 'colno'] },
  navigation: { required: ['to'], text: ['from', 'trigger'], numbers: ['duration'] },
  console: { required: ['method', 'message'], text: ['stack'], numbers: ['groupDepth'] },
  custom: { required: ['name'], text: [], numbers: ['duration'] },
  session: { required: [], text: ['trigger', 'previousUserId', 'newUserId'], numbers: [] },
};

/**
 * A value as text: strings as they are, numbers and booleans written out, objects and arrays as
 * their JSON (a payload is a bounded JSON copy by now); `undefined` for null and undefined.
 */
export function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (typeof value === 'object') {
    try {
      return JSON.stringify(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** A finite number, a numeric string read as one; anything else is absent. */
function asNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * A level word as one of the four stored levels: case-insensitive, other loggers' words mapped, a
 * number as pino's and bunyan's (10–20 debug, 30 info, 40 warn, 50 and up error), else `info`.
 */
export function asLevel(value: unknown): EventLevel | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value >= 50 ? 'error' : value >= 40 ? 'warn' : value >= 30 ? 'info' : 'debug';
  }
  if (typeof value !== 'string') return 'info';
  const word = value.trim().toLowerCase();
  if ((EVENT_LEVELS as readonly string[]).includes(word)) return word as EventLevel;
  return LEVEL_WORDS.get(word) ?? 'info';
}

/** An app or tab session id: numbers written out; anything else as it came (the schema words it). */
function asClientId(value: unknown): unknown {
  return typeof value === 'number' ? asText(value) : value;
}

/**
 * An ISO `timestamp`: epoch milliseconds (or seconds) written as one; anything else as it came, for
 * the schema to refuse: without a client time an event has no derived identity, and a re-sent batch
 * would store it again.
 */
function asTimestamp(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value;
  // Below 1e11 ms is before 1973: epoch seconds, as Unix clocks and many loggers write them.
  const at = new Date(Math.abs(value) < 1e11 ? value * 1000 : value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

/** A copy of the envelope with its loose values read as the declared types (see the module's comment). */
export function coerceMonitorEnvelope(input: Record<string, unknown>): Record<string, unknown> {
  return {
    ...input,
    level: asLevel(input.level),
    timestamp: asTimestamp(input.timestamp),
    appId: asClientId(input.appId),
    sessionId: asClientId(input.sessionId),
    // Labels the app picks: `setUser(42)`, or an object, kept as text.
    userId: asText(input.userId),
    groupId: asText(input.groupId),
    // An identity must be one the client made for this event: anything but text is none (the
    // identity is then derived from the event, as for vite-plugin-monitor 2.x's empty ids).
    id: typeof input.id === 'string' ? input.id : undefined,
  };
}

/**
 * Reads a payload's declared fields as their types, in place (`payload` is the validated JSON copy):
 * a required text field absent is `''`, an optional one absent or unreadable is left out, as is a
 * number that is not one; `coordinates` that are not a point are left out, `args` that are not a
 * list become a list of one.
 */
export function coerceMonitorPayload(type: MonitorEventType, payload: Record<string, unknown>): void {
  const fields = MONITOR_PAYLOAD_FIELDS[type];
  for (const key of fields.required) {
    payload[key] = asText(payload[key]) ?? '';
  }
  for (const key of fields.text) {
    const text = asText(payload[key]);
    if (text === undefined) delete payload[key];
    else payload[key] = text;
  }
  for (const key of fields.numbers) {
    const number = asNumber(payload[key]);
    if (number === undefined) delete payload[key];
    else payload[key] = number;
  }
  if (type === 'click' && payload.coordinates !== undefined) {
    const point = payload.coordinates;
    const x = isPlainObject(point) ? asNumber(point.x) : undefined;
    const y = isPlainObject(point) ? asNumber(point.y) : undefined;
    if (x === undefined || y === undefined) delete payload.coordinates;
    else payload.coordinates = { ...(point as Record<string, unknown>), x, y };
  }
  if (
    type === 'console' &&
    payload.args !== undefined &&
    payload.args !== null &&
    !Array.isArray(payload.args)
  ) {
    payload.args = [payload.args];
  }
}
