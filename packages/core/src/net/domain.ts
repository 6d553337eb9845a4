import { LruCache } from '../util/lru.ts';
import { parseIp } from './ip-parse.ts';
import { normalizeIp } from './normalize-ip.ts';

function stripTrailingDots(host: string): string {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 46) end--;
  return end === host.length ? host : host.slice(0, end);
}

/** Already what `URL` would give: only `[a-z0-9._-]`. The per-event path stays free of `URL`. */
function isPlainHost(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 95;
    if (!ok) return false;
  }
  return true;
}

/**
 * The ASCII (punycode) host of whatever was given: a bare host, `host:port`, or a whole URL.
 * '' when it cannot be a host.
 */
function toAsciiHost(input: string): string {
  const text = input.trim();
  if (text === '') return '';
  if (isPlainHost(text)) return stripTrailingDots(text);
  // `URL` cannot read a bare IPv6 (`::1`), and brackets are its way of writing one.
  if (text.includes(':')) {
    const ip = normalizeIp(text);
    if (ip !== '') return ip.includes(':') ? `[${ip}]` : ip;
  }
  try {
    const url = new URL(text.includes('://') ? text : `http://${text}`);
    return stripTrailingDots(url.hostname);
  } catch {
    return '';
  }
}

/** The stored domain as a bare host: `www.` means the site itself; `*.` ("and subdomains") is implied. */
function siteHost(domain: string): string {
  const text = domain.trim();
  const host = toAsciiHost(text.startsWith('*.') ? text.slice(2) : text);
  return host.startsWith('www.') ? host.slice(4) : host;
}

/**
 * Compiles a site's `domain` into a hostname check: the hostname must be the domain or one of its
 * subdomains. Case, trailing dots and a leading `www.` (on either side) are ignored; a domain
 * stored as a URL (`https://example.com/`), with a port, or in Unicode (IDN) is understood; an
 * empty domain accepts every hostname. An IP domain only matches itself. A domain that cannot be a
 * host matches nothing, so a broken row rejects events (visibly) instead of accepting any site.
 *
 * @example
 * const matches = compileDomainRule('https://www.example.com/');
 * matches('blog.example.com'); // true
 * matches('example.com.evil.io'); // false
 * matches('notexample.com'); // false
 */
export function compileDomainRule(domain: string): (hostname: string) => boolean {
  if (domain.trim() === '') return () => true;
  const host = siteHost(domain);
  if (host === '') return () => false;
  const isIp = parseIp(host) !== null;
  const dotSuffix = `.${host}`;
  return (hostname) => {
    const candidate = toAsciiHost(hostname);
    if (candidate === host) return true;
    return !isIp && candidate.endsWith(dotSuffix);
  };
}

const rules = new LruCache<string, (hostname: string) => boolean>(1000);

/**
 * One-off form of `compileDomainRule` (compiled rules are cached by domain).
 *
 * @example
 * hostnameMatchesDomain('a.b.example.com', 'example.com'); // true
 */
export function hostnameMatchesDomain(hostname: string, domain: string): boolean {
  let rule = rules.get(domain);
  if (!rule) {
    rule = compileDomainRule(domain);
    rules.set(domain, rule);
  }
  return rule(hostname);
}
