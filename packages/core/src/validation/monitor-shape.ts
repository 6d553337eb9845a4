import {
  EVENT_LEVELS,
  type EventLevel,
  MONITOR_EVENT_TYPES,
  type MonitorEventType,
} from '../model/event-types.ts';
import { LIMITS } from './limits.ts';
import { isPlainObject } from './values.ts';

/**
 * The hand checks of `monitorEnvelopeSchema` and `monitorPayloadSchemas` for the events that
 * plainly pass them (Zod's two walks were ~12 % of a vite-plugin-monitor event's cost). Like
 * `plainWireEvent`: they answer only when sure, and Zod checks (and words) anything else; property
 * tests hold them to the schemas.
 */

const TYPES: ReadonlySet<string> = new Set(MONITOR_EVENT_TYPES);
const LEVELS: ReadonlySet<string> = new Set(EVENT_LEVELS);

/** The envelope as `monitorEnvelopeSchema` outputs it. */
export interface MonitorEnvelope {
  type: MonitorEventType;
  level?: EventLevel | null | undefined;
  timestamp?: string | null | undefined;
  appId?: string | null | undefined;
  sessionId?: string | null | undefined;
  userId?: string | null | undefined;
  groupId?: string | null | undefined;
  id?: string | null | undefined;
  payload?: unknown;
  meta?: unknown;
  context?: unknown;
}

/** The envelope when it plainly passes the schema, each field read once; else `undefined`. */
export function plainMonitorEnvelope(input: Record<string, unknown>): MonitorEnvelope | undefined {
  const type = input.type;
  if (typeof type !== 'string' || !TYPES.has(type)) return undefined;
  // Zod 4 wants the key of a required `unknown()`: an absent payload is the schema's to word.
  const payload = input.payload;
  if (payload === undefined) return undefined;
  const level = input.level;
  if (level !== undefined && level !== null && (typeof level !== 'string' || !LEVELS.has(level)))
    return undefined;
  const timestamp = input.timestamp;
  const appId = input.appId;
  const sessionId = input.sessionId;
  const userId = input.userId;
  const groupId = input.groupId;
  const id = input.id;
  const clientIdMax = LIMITS.clientIdMaxChars;
  if (
    !isOptionalText(timestamp, LIMITS.timestampMaxChars) ||
    !isOptionalText(appId, LIMITS.siteIdMaxChars) ||
    !isOptionalText(sessionId, clientIdMax) ||
    !isOptionalText(userId, LIMITS.userIdMaxChars) ||
    !isOptionalText(groupId, clientIdMax) ||
    !isOptionalText(id, clientIdMax)
  ) {
    return undefined;
  }
  return {
    type: type as MonitorEventType,
    level: level as EventLevel | null | undefined,
    timestamp: timestamp as string | null | undefined,
    appId: appId as string | null | undefined,
    sessionId: sessionId as string | null | undefined,
    userId: userId as string | null | undefined,
    groupId: groupId as string | null | undefined,
    id: id as string | null | undefined,
    payload,
    meta: input.meta,
    context: input.context,
  };
}

/**
 * Whether a payload (a JSON copy: plain objects, arrays, finite numbers) plainly has the fields its
 * type declares; `false` = ask the schema.
 */
export function plainMonitorPayload(type: MonitorEventType, p: Record<string, unknown>): boolean {
  switch (type) {
    case 'click':
      return (
        isText(p.tag) &&
        optText(p.text) &&
        optText(p.id) &&
        optText(p.classes) &&
        optText(p.xpath) &&
        (isAbsent(p.coordinates) || isPoint(p.coordinates))
      );
    case 'http':
      return (
        isText(p.method) && isText(p.url) && optNumber(p.status) && optNumber(p.duration) && optText(p.error)
      );
    case 'error':
      return (
        isText(p.message) &&
        optText(p.stack) &&
        optText(p.filename) &&
        optText(p.errorType) &&
        optNumber(p.lineno) &&
        optNumber(p.colno)
      );
    case 'navigation':
      return isText(p.to) && optText(p.from) && optText(p.trigger) && optNumber(p.duration);
    case 'console':
      return (
        isText(p.method) &&
        isText(p.message) &&
        (isAbsent(p.args) || Array.isArray(p.args)) &&
        optText(p.stack) &&
        optNumber(p.groupDepth)
      );
    case 'custom':
      return isText(p.name) && optNumber(p.duration);
    case 'session':
      return (p.action === 'start' || p.action === 'end') && optText(p.trigger);
    default:
      return false;
  }
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function isText(value: unknown): boolean {
  return typeof value === 'string';
}

function isOptionalText(value: unknown, max: number): boolean {
  return isAbsent(value) || (typeof value === 'string' && value.length <= max);
}

/** Absent or a string (no rest parameters here: this runs per event). */
function optText(value: unknown): boolean {
  return isAbsent(value) || typeof value === 'string';
}

/** Absent or a finite number. */
function optNumber(value: unknown): boolean {
  return isAbsent(value) || (typeof value === 'number' && Number.isFinite(value));
}

function isPoint(value: unknown): boolean {
  return (
    isPlainObject(value) &&
    typeof value.x === 'number' &&
    Number.isFinite(value.x) &&
    typeof value.y === 'number' &&
    Number.isFinite(value.y)
  );
}
