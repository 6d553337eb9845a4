import { referrerDomain } from '../detect/path.ts';
import { getHeader } from '../util/headers.ts';
import type { CompiledSite } from './site-cache.ts';
import type { RequestContext } from './types.ts';

/**
 * The referrer a server event keeps: its request's `Referer`, unless that is a page of the site
 * itself (the usual case: the site's own form posted to its backend), which is navigation rather
 * than a source and may carry the page's query (tokens). Own means the site's domain, or the host
 * the request was sent to when the site names no domain.
 */
export function serverReferrer(
  referrer: string | undefined,
  site: CompiledSite,
  request: RequestContext | undefined,
): string | undefined {
  if (typeof referrer !== 'string' || referrer === '') return undefined;
  let host: string;
  try {
    host = new URL(referrer).hostname;
  } catch {
    return undefined;
  }
  if (site.config.domain !== '' && site.matchesHost(host)) return undefined;
  const target = request ? getHeader(request.headers, 'host') : undefined;
  const ownHost = target?.replace(/:\d+$/, '');
  if (ownHost && referrerDomain(referrer, ownHost) === '') return undefined;
  return referrer;
}
