import {
  EVENT_LEVELS,
  type EventLevel,
  MONITOR_EVENT_TYPES,
  type MonitorEventType,
} from '../model/event-types.ts';
import { LIMITS } from './limits.ts';
import { isAbsent, isOptionalNumber, isOptionalText, isText } from './plain-values.ts';
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
    !isOptionalText(userId, LIMITS.monitorLabelWireMaxChars) ||
    !isOptionalText(groupId, LIMITS.monitorLabelWireMaxChars) ||
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
        isOptionalText(p.text) &&
        isOptionalText(p.id) &&
        isOptionalText(p.classes) &&
        isOptionalText(p.xpath) &&
        (isAbsent(p.coordinates) || isPoint(p.coordinates))
      );
    case 'http':
      return (
        isText(p.method) &&
        isText(p.url) &&
        isOptionalNumber(p.status) &&
        isOptionalNumber(p.duration) &&
        isOptionalText(p.error)
      );
    case 'error':
      return (
        isText(p.message) &&
        isOptionalText(p.stack) &&
        isOptionalText(p.filename) &&
        isOptionalText(p.errorType) &&
        isOptionalNumber(p.lineno) &&
        isOptionalNumber(p.colno)
      );
    case 'navigation':
      return (
        isText(p.to) && isOptionalText(p.from) && isOptionalText(p.trigger) && isOptionalNumber(p.duration)
      );
    case 'console':
      return (
        isText(p.method) &&
        isText(p.message) &&
        (isAbsent(p.args) || Array.isArray(p.args)) &&
        isOptionalText(p.stack) &&
        isOptionalNumber(p.groupDepth)
      );
    case 'custom':
      return isText(p.name) && isOptionalNumber(p.duration);
    case 'session':
      return (
        (p.action === 'start' || p.action === 'end') &&
        isOptionalText(p.trigger) &&
        isOptionalText(p.previousUserId) &&
        isOptionalText(p.newUserId)
      );
    default:
      return false;
  }
}

function isPoint(value: unknown): boolean {
  return isPlainObject(value) && Number.isFinite(value.x) && Number.isFinite(value.y);
}
