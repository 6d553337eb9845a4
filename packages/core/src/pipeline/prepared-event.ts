import { toPath } from '../detect/index.ts';
import { LIMITS } from '../validation/limits.ts';
import type { SanitizedEvent } from '../validation/payload-types.ts';
import { stripControlChars, truncate } from '../validation/text.ts';

/** What the recorder needs of an event, whatever its source (browser payload or server call). */
export interface PreparedEvent {
  type: string;
  path: string;
  eventName: string;
  eventData?: Record<string, unknown> | undefined;
  /** A client-made id: the stored id is derived from it so a re-sent event is stored once. */
  clientEventId?: string | undefined;
  url?: URL | undefined;
  referrer: string;
  screenWidth: number;
  screenHeight: number;
  language: string;
  jsError?: { message: string; stack: string; url: string };
}

export interface PathRules {
  keepQuery: boolean;
  keepHash: boolean;
}

export function prepareTrackedEvent(event: SanitizedEvent, rules: PathRules): PreparedEvent {
  const prepared: PreparedEvent = {
    type: event.type,
    path: toPath(event.url, rules),
    eventName: event.name,
    eventData: event.customData,
    clientEventId: event.eventId,
    url: event.url,
    referrer: event.referrer,
    screenWidth: event.screenWidth,
    screenHeight: event.screenHeight,
    language: event.language,
  };
  if (event.type === 'jsError') {
    prepared.jsError = { message: event.errorMessage, stack: event.stackTrace, url: event.storedUrl };
  }
  return prepared;
}

/** A path given by the caller's code: control characters stripped, cut like browser paths, `/` when empty. */
export function serverPath(path: unknown): string {
  if (typeof path !== 'string') return '/';
  return truncate(stripControlChars(path), LIMITS.urlStoredChars) || '/';
}

export function prepareServerEvent(
  eventName: string,
  eventData: Record<string, unknown> | undefined,
  path: unknown,
): PreparedEvent {
  return {
    type: 'custom',
    path: serverPath(path),
    eventName,
    eventData,
    referrer: '',
    screenWidth: 0,
    screenHeight: 0,
    language: '',
  };
}
