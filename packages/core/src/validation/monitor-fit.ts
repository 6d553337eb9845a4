import type { MonitorEventType } from '../model/event-types.ts';
import { fitJson } from './fit-json.ts';
import { MONITOR_PAYLOAD_FIELDS } from './monitor-coerce.ts';
import { utf8Length } from './text.ts';

/**
 * What stands for captured data too large to keep even with its strings cut (a 3000-row API
 * answer): a list becomes `[LEFT_OUT_TOO_LARGE]`, an object `{ leftOut: LEFT_OUT_TOO_LARGE }`, so
 * that a reader iterating it still finds the type it expects.
 */
export const LEFT_OUT_TOO_LARGE = '[left out: too large]';
const LEFT_OUT_LIST = [LEFT_OUT_TOO_LARGE];
const LEFT_OUT_OBJECT = { leftOut: LEFT_OUT_TOO_LARGE };
/** Bytes a stand-in takes as JSON (the object's, the larger): only larger values are worth replacing. */
const LEFT_OUT_BYTES = JSON.stringify(LEFT_OUT_OBJECT).length;

/** Payload keys whose value is declared text or a number, or a click's point: never left out. */
function isDeclaredScalar(type: MonitorEventType, key: string): boolean {
  const fields = MONITOR_PAYLOAD_FIELDS[type];
  return (
    fields.required.includes(key) ||
    fields.text.includes(key) ||
    fields.numbers.includes(key) ||
    key === 'coordinates'
  );
}

/** `fitJson` on a copy, kept only when it fits: a failed fit cuts every string as far as it went. */
function fitsCut(payload: Record<string, unknown>, maxBytes: number): boolean {
  const trial = structuredClone(payload);
  if (!fitJson(trial, maxBytes)) return false;
  Object.assign(payload, trial);
  return true;
}

/**
 * Fits a vite-plugin-monitor payload (the caller's copy, already measured over `maxBytes`) in
 * `maxBytes` of JSON: its longest strings cut first (`fitJson`); when keys and numbers alone are
 * too many (a captured body of 3000 small rows, a custom event's big state object,
 * `console.log(rows)`), its largest captured objects and lists (`args`, `data`, bodies, headers)
 * are left out (see `LEFT_OUT_TOO_LARGE`), the fewest that make it fit of 1, 2, 4… of them, largest
 * first: a few fits whatever the number of keys. Answers false only when even leaving them all out
 * cannot make it fit.
 */
export function fitMonitorPayload(
  type: MonitorEventType,
  payload: Record<string, unknown>,
  maxBytes: number,
): boolean {
  if (fitsCut(payload, maxBytes)) return true;
  const captured = Object.keys(payload)
    .filter(
      (key) => !isDeclaredScalar(type, key) && typeof payload[key] === 'object' && payload[key] !== null,
    )
    .map((key) => ({ key, bytes: utf8Length(JSON.stringify(payload[key])) }))
    .filter((entry) => entry.bytes > LEFT_OUT_BYTES)
    .sort((a, b) => b.bytes - a.bytes);
  const originals = Object.fromEntries(captured.map(({ key }) => [key, payload[key]]));
  for (let count = 1; captured.length > 0; count = Math.min(count * 2, captured.length)) {
    captured.forEach(({ key }, i) => {
      const value = originals[key];
      payload[key] = i >= count ? value : Array.isArray(value) ? [...LEFT_OUT_LIST] : { ...LEFT_OUT_OBJECT };
    });
    if (fitsCut(payload, maxBytes)) return true;
    if (count === captured.length) break;
  }
  return false;
}
