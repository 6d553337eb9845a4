/** The parsed URL when it is http(s), without the credentials it may carry (never stored). */
export function parseHttpUrl(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') {
    url.username = '';
    url.password = '';
  }
  return url;
}

/** Entries per generation: the pages a busy server sees most stay in one of the two. */
const GENERATION = 512;
/** Longer URLs (long query strings, mostly one-offs) are parsed each time and never held. */
const MAX_KEY_CHARS = 512;

let current = new Map<string, URL | null>();
let previous = new Map<string, URL | null>();

/**
 * `parseHttpUrl` through a small cache by text: a site's events name few distinct pages, and
 * `new URL` was ~4 % of `skopos serve`'s CPU per event (validation 0.5 → 0.13 µs). The answers are
 * shared, so only the pipeline (which never changes them) uses it; `validateEvent` gives every
 * caller its own URL. Two generations approximate an LRU: a URL used in the last ~512 distinct
 * ones is kept, and memory stays bounded (at most 1,024 URLs of ≤ 512 characters).
 */
export function sharedHttpUrl(raw: string): URL | undefined {
  if (raw.length > MAX_KEY_CHARS) return parseHttpUrl(raw);
  let url = current.get(raw);
  if (url === undefined) {
    // `null` is a cached refusal (not http(s)); the previous generation's answer moves up.
    url = previous.has(raw) ? (previous.get(raw) ?? null) : (parseHttpUrl(raw) ?? null);
    if (current.size >= GENERATION) {
      previous = current;
      current = new Map();
    }
    current.set(raw, url);
  }
  return url ?? undefined;
}
