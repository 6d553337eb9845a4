import { LIMITS } from './limits.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHAR = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]+/g;

/**
 * Removes C0/C1 control characters (U+0000–U+001F, U+007F–U+009F), which have no place in names
 * and labels and can corrupt logs or terminals that display them.
 */
export function stripControlChars(s: string): string {
  // Testing first keeps the common clean case allocation-free.
  return CONTROL_CHAR.test(s) ? s.replace(CONTROL_CHARS, '') : s;
}

/** True when `s` holds a control character (ids are rejected rather than silently altered). */
export function hasControlChars(s: string): boolean {
  return CONTROL_CHAR.test(s);
}

/** Like `stripControlChars` but keeps tab, LF and CR: error messages and stacks are multi-line. */
export function stripControlCharsKeepLines(s: string): string {
  return CONTROL_CHAR.test(s) ? s.replace(CONTROL_CHARS_BUT_LINES, '') : s;
}

/** Cuts `s` to `max` UTF-16 units without leaving half of a surrogate pair at the end. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  const last = s.charCodeAt(max - 1);
  return s.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** Stored form of a one-line label (name, language, referrer): no control chars, trimmed, cut. */
export function cleanLabel(s: string, storedMax: number): string {
  return truncate(stripControlChars(s).trim(), storedMax);
}

/** Stored form of an event name, shared by custom events and server events ('' when nothing is left). */
export function cleanEventName(s: string): string {
  return cleanLabel(s, LIMITS.nameStoredChars);
}

/** UTF-8 byte length of `s` without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(s: string): number {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      // A pair is 2 units and 4 bytes; a lone high surrogate is 1 unit and 3 bytes.
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}
