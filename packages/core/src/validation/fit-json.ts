import { utf8Length } from './text.ts';

/** Ends a cut string, so that a reader sees it was cut (3 bytes of UTF-8). */
const ELLIPSIS = '…';
const ELLIPSIS_BYTES = 3;
/** Rounds of cutting: each one measures again (escapes and wide characters count more than one byte). */
const MAX_ROUNDS = 4;

type Holder = Record<string, unknown> | unknown[];
interface Leaf {
  holder: Holder;
  key: string | number;
}

/**
 * Cuts `value` (a JSON-safe copy the caller owns) to at most `maxBytes` of JSON by shortening its
 * longest strings to one common length, each ending in "…": a captured HTTP body or console
 * argument loses its tail, the event is kept. Answers false when that cannot make it fit (keys,
 * numbers and nesting alone are too big); the value is then cut as far as it went.
 */
export function fitJson(value: Holder, maxBytes: number): boolean {
  let bytes = utf8Length(JSON.stringify(value));
  if (bytes <= maxBytes) return true;
  const leaves: Leaf[] = [];
  collectStrings(value, leaves);
  const originals = leaves.map(({ holder, key }) => (holder as Record<string, string>)[key] ?? '');
  for (let round = 0; round < MAX_ROUNDS && bytes > maxBytes; round++) {
    const texts = leaves.map(({ holder, key }) => (holder as Record<string, string>)[key] ?? '');
    const cap = lengthToCut(texts, bytes - maxBytes);
    if (cap < 0) break;
    cutAll(leaves, texts, cap);
    bytes = utf8Length(JSON.stringify(value));
  }
  if (bytes <= maxBytes) return true;
  // The estimate takes a string's bytes per unit as even along it; a string whose head costs more
  // than its tail (CJK text then an ASCII stack) can stay a few bytes over. Search the common
  // length on the real size then: a few measures, only for such payloads.
  let low = 0;
  let high = originals.reduce((longest, text) => Math.max(longest, text.length), 0);
  const fits = (cap: number): boolean => {
    cutAll(leaves, originals, cap);
    return utf8Length(JSON.stringify(value)) <= maxBytes;
  };
  if (!fits(0)) return false;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return fits(low);
}

/** Sets each leaf to its text in `texts`, cut to `cap` when longer. */
function cutAll(leaves: readonly Leaf[], texts: readonly string[], cap: number): void {
  for (let i = 0; i < leaves.length; i++) {
    const { holder, key } = leaves[i] as Leaf;
    const text = texts[i] ?? '';
    (holder as Record<string, string>)[key] = text.length > cap + 1 ? cut(text, cap) : text;
  }
}

function collectStrings(value: Holder, leaves: Leaf[]): void {
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'string') leaves.push({ holder: value, key });
    else if (typeof child === 'object' && child !== null) collectStrings(child as Holder, leaves);
  }
}

/**
 * The longest length (in UTF-16 units) strings may keep so that cutting the longer ones to it, plus
 * "…", saves at least `excess` bytes of JSON, or -1 when even cutting them all would not. A string's
 * bytes per unit (escapes, wide characters) are taken as even along it: the next round measures.
 */
function lengthToCut(texts: string[], excess: number): number {
  const units = texts.map((text) => text.length);
  const bytes = texts.map((text) => utf8Length(JSON.stringify(text)) - 2);
  const saved = (cap: number): number => {
    let total = 0;
    for (let i = 0; i < units.length; i++) {
      const length = units[i] ?? 0;
      if (length > cap + 1) total += ((bytes[i] ?? 0) * (length - cap)) / length - ELLIPSIS_BYTES;
    }
    return total;
  };
  if (saved(0) < excess) return -1;
  let low = 0;
  let high = units.reduce((longest, length) => Math.max(longest, length), 0);
  // The largest cap that still saves enough: saved() only grows as the cap shrinks.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (saved(mid) >= excess) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** `text` cut to `length` UTF-16 units plus "…", never between the two halves of a surrogate pair. */
function cut(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? length - 1 : length;
  return text.slice(0, end) + ELLIPSIS;
}
