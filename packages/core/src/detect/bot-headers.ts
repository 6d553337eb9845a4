import { getHeader, type HeaderSource } from '../util/headers.ts';

/**
 * Presence bits of the request headers the bot score reads. Two requests with the same UA but a
 * different signature may score differently; the bits are also what a log line can show.
 */
export const BotHeader = {
  /** `accept` is present (every browser request has one, beacons and `fetch` included). */
  accept: 1,
  /** `accept-language` is present and not `*` (undici/Node fetch send `*`, browsers never do). */
  acceptLanguage: 2,
  /** `sec-fetch-mode` or `sec-fetch-site` is present (browsers on secure origins). */
  secFetch: 4,
  /** `sec-ch-ua` is present (Chromium on secure origins). */
  secChUa: 8,
  /** A prefetch or preview (`purpose`/`sec-purpose: prefetch`, `x-purpose: preview`, `x-moz: prefetch`). */
  prefetch: 16,
  /** A WebSocket handshake (read only when `accept` is absent): browsers send no `accept` there. */
  websocket: 32,
  /** `accept-language: *`: Node's fetch (undici) sends it, no browser does. */
  wildcardLanguage: 64,
} as const;

function isPrefetch(value: string | undefined): boolean {
  if (value === undefined) return false;
  // 'prefetch', 'prefetch;prerender' (Chrome's speculation rules), 'preview' (Safari top sites).
  const v = value.toLowerCase();
  return v.startsWith('prefetch') || v.startsWith('preview');
}

/**
 * The compact header signature used by the bot score (see `BotHeader` for the bits).
 *
 * @example
 * botHeaderSignature({ accept: 'text/html', 'accept-language': 'en' }); // BotHeader.accept | BotHeader.acceptLanguage
 */
export function botHeaderSignature(headers: HeaderSource): number {
  return readBotHeaders(headers, true);
}

/**
 * The signature, reading fetch metadata only when asked: each header read costs ~50 ns through
 * `getHeader` and this runs for every event, so the score skips what cannot change it.
 */
export function readBotHeaders(headers: HeaderSource, fetchMetadata: boolean): number {
  let bits = 0;
  if (getHeader(headers, 'accept') !== undefined) bits |= BotHeader.accept;
  else if (getHeader(headers, 'sec-websocket-key') !== undefined) bits |= BotHeader.websocket;
  const language = getHeader(headers, 'accept-language');
  if (language === '*') bits |= BotHeader.wildcardLanguage;
  else if (language !== undefined && language.trim() !== '') bits |= BotHeader.acceptLanguage;
  if (fetchMetadata) {
    if (
      getHeader(headers, 'sec-fetch-mode') !== undefined ||
      getHeader(headers, 'sec-fetch-site') !== undefined
    ) {
      bits |= BotHeader.secFetch;
    }
    if (getHeader(headers, 'sec-ch-ua') !== undefined) bits |= BotHeader.secChUa;
  }
  if (
    isPrefetch(getHeader(headers, 'sec-purpose')) ||
    isPrefetch(getHeader(headers, 'purpose')) ||
    isPrefetch(getHeader(headers, 'x-purpose')) ||
    isPrefetch(getHeader(headers, 'x-moz'))
  ) {
    bits |= BotHeader.prefetch;
  }
  return bits;
}
