import type { MonitorEventType } from '../model/event-types.ts';
import { fitJson } from './fit-json.ts';
import { MONITOR_PAYLOAD_FIELDS } from './monitor-coerce.ts';
import { utf8Length } from './text.ts';

/** What replaces captured data too large to keep even with its strings cut (a 3000-row API answer). */
export const LEFT_OUT_TOO_LARGE = '[left out: too large]';

/** Payload keys whose type is declared and must stay (the others are data the app captured). */
function isDeclared(type: MonitorEventType, key: string): boolean {
  const fields = MONITOR_PAYLOAD_FIELDS[type];
  return (
    fields.required.includes(key) ||
    fields.text.includes(key) ||
    fields.numbers.includes(key) ||
    key === 'coordinates' ||
    key === 'args'
  );
}

/**
 * Fits a vite-plugin-monitor payload (the caller's copy) in `maxBytes` of JSON: its longest strings
 * cut first (`fitJson`); when keys and numbers alone are too many (a captured body of 3000 small
 * rows, a custom event's big state object), its largest captured objects and lists are replaced by
 * `LEFT_OUT_TOO_LARGE`, one at a time, until it fits: the event and its declared fields are kept.
 * Answers false only when even that cannot make it fit.
 */
export function fitMonitorPayload(
  type: MonitorEventType,
  payload: Record<string, unknown>,
  maxBytes: number,
): boolean {
  if (utf8Length(JSON.stringify(payload)) <= maxBytes) return true;
  // `fitJson` cuts as far as it went when it fails: each try cuts a copy, so that a payload which
  // fits once a captured object is left out keeps its declared strings as long as they can be.
  const fits = (): boolean => {
    const trial = structuredClone(payload);
    if (!fitJson(trial, maxBytes)) return false;
    Object.assign(payload, trial);
    return true;
  };
  if (fits()) return true;
  const captured = Object.keys(payload)
    .filter((key) => !isDeclared(type, key) && typeof payload[key] === 'object' && payload[key] !== null)
    .map((key) => ({ key, bytes: utf8Length(JSON.stringify(payload[key])) }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { key } of captured) {
    payload[key] = LEFT_OUT_TOO_LARGE;
    if (fits()) return true;
  }
  return false;
}
