import { cut } from './cut.ts';

/** Stored paths are cut to this many characters (the stored URL limit). */
export const PATH_MAX = 2048;

export interface PathOptions {
  /** Keep `?query` (default false: campaign tags and session tokens stay out of page stats). */
  keepQuery?: boolean | undefined;
  /** Keep `#hash` (default false; turn on for hash-routed single-page apps). */
  keepHash?: boolean | undefined;
}

/**
 * The path stored for a page: the pathname only by default, optionally with query and hash, cut
 * to 2048 characters. Percent-encoding is kept as the URL parser produced it.
 *
 * @example
 * toPath(new URL('https://a.example/docs?page=2#intro')); // '/docs'
 * toPath(new URL('https://a.example/docs?page=2#intro'), { keepQuery: true }); // '/docs?page=2'
 */
export function toPath(url: URL, options?: PathOptions): string {
  let path = url.pathname;
  if (options?.keepQuery) path += url.search;
  if (options?.keepHash) path += url.hash;
  return cut(path, PATH_MAX);
}

/** Lower-case host without a leading `www.` and a trailing dot, the form referrers are compared in. */
function bareHost(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host.startsWith('www.') ? host.slice(4) : host;
}

/**
 * The referrer's hostname without `www.` (`https://www.google.com/search?q=x` → `google.com`).
 * Answers '' when the referrer is empty, not a URL with a host, or a self-referral: the same host
 * as `ownHostname` or a subdomain of it (`www.` ignored on both sides).
 *
 * @example
 * referrerDomain('https://news.ycombinator.com/item?id=1'); // 'news.ycombinator.com'
 * referrerDomain('https://blog.example.com/post', 'example.com'); // '' (self-referral)
 */
export function referrerDomain(referrer: string, ownHostname?: string): string {
  if (referrer === '') return '';
  let host: string;
  try {
    host = bareHost(new URL(referrer).hostname);
  } catch {
    return '';
  }
  if (host === '') return '';
  if (ownHostname) {
    const own = bareHost(ownHostname);
    if (own !== '' && (host === own || host.endsWith(`.${own}`))) return '';
  }
  return host;
}
