import { type PathOptions, toPath } from '../detect/path.ts';
import { ENGAGEMENT_SIGNAL, isErrorType, LEGACY_PAGE_EXIT_EVENT } from '../model/event-types.ts';
import type { MonitorFields, PreparedEvent } from '../pipeline/prepared-event.ts';
import { LIMITS } from '../validation/limits.ts';
import type { SanitizedEvent, SanitizedMonitorEvent } from '../validation/payload-types.ts';
import {
  cleanEventName,
  cleanLabel,
  stripControlChars,
  stripControlCharsKeepLines,
  truncate,
} from '../validation/text.ts';
import { routePath, routeUrl } from './route-path.ts';

/**
 * The one place where both wire shapes become the event the pipeline records:
 * - Skopos' payload (the original Skopos SDK's): `pageView`, `custom`, `jsError`, and the tracker's
 *   `engagement` signal (also read from 0.1 trackers' `custom` event named `page-exit`);
 * - vite-plugin-monitor's `TrackerEvent`: a `navigation` is a page view of `payload.to`; an
 *   `error` is a JS error (fingerprinted and merged like `jsError`); a `custom`'s `payload.name` and
 *   `payload.data` are its name and data; the other types are stored with everything they carry.
 */

function multiline(s: string, max: number): string {
  return truncate(stripControlCharsKeepLines(s).trim(), max);
}

/** A `customData`-style `duration` (seconds) when it is a finite non-negative number. */
function durationOf(data: Record<string, unknown> | undefined): number | undefined {
  const value = data?.duration;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function prepareSkoposEvent(event: SanitizedEvent, rules: PathOptions): PreparedEvent {
  const path = toPath(event.url, rules);
  const prepared: PreparedEvent = {
    type: event.type,
    level: event.type === 'jsError' ? 'error' : 'info',
    path,
    onPage: true,
    eventName: event.name,
    eventData: event.customData,
    clientEventId: event.eventId,
    clientTime: event.ts,
    url: event.url,
    referrer: event.referrer,
    screenWidth: event.screenWidth,
    screenHeight: event.screenHeight,
    language: event.language,
  };
  if (event.type === 'engagement' || (event.type === 'custom' && event.name === LEGACY_PAGE_EXIT_EVENT)) {
    prepared.type = ENGAGEMENT_SIGNAL;
    prepared.signalOnly = true;
    prepared.visibleSeconds =
      event.type === 'engagement' ? event.duration : (durationOf(event.customData) ?? 0);
  } else if (event.type === 'custom') {
    // The original Skopos SDK's rule: a custom `duration` of 10 s or more engages the session.
    prepared.reportedDuration = durationOf(event.customData);
  } else if (event.type === 'jsError') {
    prepared.eventName = cleanEventName(event.errorMessage);
    prepared.jsError = { message: event.errorMessage, stack: event.stackTrace, url: event.storedUrl, path };
  }
  return prepared;
}

function viewportSize(viewport: string | undefined): [number, number] {
  const match = /^(\d{1,5})\s*x\s*(\d{1,5})$/.exec(viewport ?? '');
  if (!match) return [0, 0];
  const clamp = (n: number) => Math.min(LIMITS.screenMax, n);
  return [clamp(Number(match[1])), clamp(Number(match[2]))];
}

/**
 * The stored name of a vite-plugin-monitor custom event sent without one (`track('')`): kept as sent
 * in its payload, named for Skopos' reports, which list custom events by name.
 */
export const UNNAMED_CUSTOM_EVENT = '(no name)';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A stack for fingerprinting: the client's, else one frame made of `filename:lineno:colno`. */
function errorStack(payload: Record<string, unknown>): string {
  const stack = text(payload.stack);
  if (stack !== '') return stack;
  const file = text(payload.filename);
  if (file === '') return '';
  const line = typeof payload.lineno === 'number' ? payload.lineno : 0;
  const column = typeof payload.colno === 'number' ? payload.colno : 0;
  return `    at ${file}:${line}:${column}`;
}

function monitorFields(event: SanitizedMonitorEvent): MonitorFields {
  const fields: MonitorFields = { payload: event.payload, meta: event.meta };
  if (event.sessionId !== undefined) fields.clientSessionId = event.sessionId;
  if (event.userId !== undefined) fields.userId = event.userId;
  if (event.groupId !== undefined) fields.groupId = event.groupId;
  if (event.context !== undefined) fields.context = event.context;
  return fields;
}

/**
 * The identity of a vite-plugin-monitor event: its own non-empty `id`, else one derived from what
 * the client sent (type, client time, tab session, route, payload), the same on every re-send of
 * a batch (its client re-sends whole batches after any failure). Identical copies in one batch are
 * told apart by the pipeline (see `createCopyNumbers`). No client time, no identity.
 */
function monitorIdentity(event: SanitizedMonitorEvent): string | undefined {
  if (event.id !== undefined) return event.id;
  if (event.clientTime === undefined || !Number.isFinite(event.clientTime)) return undefined;
  const { type, clientTime, sessionId, meta, payload, payloadDigest } = event;
  // A payload cut to fit is told apart by what it was (two bodies differing past the cut).
  const content = payloadDigest ?? JSON.stringify(payload);
  return `monitor\u0000${type}\u0000${clientTime}\u0000${sessionId ?? ''}\u0000${meta.route ?? ''}\u0000${content}`;
}

export function prepareMonitorEvent(event: SanitizedMonitorEvent, rules: PathOptions): PreparedEvent {
  const { payload, meta } = event;
  // vite-plugin-monitor's route is pathname + search: a landing page's UTM tags are there. Parsed
  // once, for them and for the path.
  const route = meta.route;
  const routeQuery = route?.includes('?') ? routeUrl(route) : undefined;
  const path =
    (event.type === 'navigation' ? routePath(payload.to, rules) : '') || routePath(route, rules, routeQuery);
  const [screenWidth, screenHeight] = viewportSize(meta.viewport);
  const prepared: PreparedEvent = {
    type: event.type,
    level: event.level,
    path,
    onPage: path !== '',
    eventName: '',
    clientEventId: monitorIdentity(event),
    derivedIdentity: event.id === undefined,
    clientTime: event.clientTime,
    referrer: meta.referrer ?? '',
    screenWidth,
    screenHeight,
    language: meta.language ?? '',
    monitor: monitorFields(event),
  };
  if (routeQuery !== undefined) prepared.routeQuery = routeQuery;
  if (event.type === 'custom') {
    prepared.eventName = cleanEventName(text(payload.name)) || UNNAMED_CUSTOM_EVENT;
    const data = payload.data;
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      prepared.eventData = data as Record<string, unknown>;
    }
  } else if (isErrorType(event.type)) {
    const message = multiline(text(payload.message), LIMITS.errorMessageStoredChars) || 'Error';
    const stack = multiline(errorStack(payload), LIMITS.stackTraceStoredChars);
    prepared.eventName = cleanEventName(message);
    prepared.jsError = { message, stack, url: meta.route ?? path, path };
  }
  return prepared;
}

/** A path given by the caller's code: control characters stripped, cut like browser paths. */
function serverPath(path: unknown): string {
  if (typeof path !== 'string') return '';
  return truncate(stripControlChars(path), LIMITS.urlStoredChars);
}

/**
 * A server event (`trackServerEvent`): stored under `path`, or `/` when none is given; without a
 * path it does not move the session's exit page (the visitor is still on the page they were).
 */
export function prepareServerEvent(
  eventName: string,
  eventData: Record<string, unknown> | undefined,
  path: unknown,
  referrer?: unknown,
): PreparedEvent {
  const given = serverPath(path);
  return {
    type: 'custom',
    level: 'info',
    path: given || '/',
    onPage: given !== '',
    eventName,
    eventData,
    reportedDuration: durationOf(eventData),
    referrer: typeof referrer === 'string' ? cleanLabel(referrer, LIMITS.referrerStoredChars) : '',
    screenWidth: 0,
    screenHeight: 0,
    language: '',
  };
}
