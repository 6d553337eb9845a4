import { prepareMonitorEvent, prepareSkoposEvent } from '../mapping/to-prepared.ts';
import { resolveClientIp } from '../net/index.ts';
import type { TrustFn } from '../net/trust-proxy.ts';
import { getHeader } from '../util/headers.ts';
import { validateEventSharingUrl } from '../validation/event.ts';
import { isMonitorShaped, validateMonitorEvent } from '../validation/monitor-event.ts';
import type { ValidationIssue } from '../validation/payload-types.ts';
import type { ClientFacts } from './client-rules.ts';
import type { ResolvedOptions } from './options.ts';
import type { PreparedEvent } from './prepared-event.ts';
import type { RequestContext } from './types.ts';

/** The last `Origin`/`Referer` parsed: a batch's events share one request, and pages send one origin. */
let lastSource = '';
let lastHostname = '';

/** The hostname of the request's `Origin` (else `Referer`); '' when neither is a URL. */
function originHostname(headers: RequestContext['headers']): string {
  const source = getHeader(headers, 'origin') || getHeader(headers, 'referer');
  if (!source || source === 'null') return '';
  if (source === lastSource) return lastHostname;
  let hostname = '';
  try {
    hostname = new URL(source).hostname;
  } catch {
    // Not a URL: nothing to check the site's domain against.
  }
  lastSource = source;
  lastHostname = hostname;
  return hostname;
}

/**
 * A payload of either wire shape as the pipeline's event, with the page hostname to check against
 * the site's domain ('' = none known), or what is wrong with it.
 */
export function prepareInput(
  payload: unknown,
  request: RequestContext,
  opts: ResolvedOptions,
): { event: PreparedEvent; hostname: string } | { issues: ValidationIssue[] } {
  if (isMonitorShaped(payload)) {
    const checked = validateMonitorEvent(payload);
    if (!checked.ok) return { issues: checked.issues };
    // vite-plugin-monitor events carry a route, not a URL: the page's origin is the request's.
    return { event: prepareMonitorEvent(checked.value, opts), hostname: originHostname(request.headers) };
  }
  const checked = validateEventSharingUrl(payload);
  if (!checked.ok) return { issues: checked.issues };
  return { event: prepareSkoposEvent(checked.value, opts), hostname: checked.value.url.hostname };
}

const noHeaders = {};

/**
 * The address inputs of the last request and the IP they resolved to. A batch's events share one
 * request, and `resolveClientIp` reads nothing else (the trust function is compiled once per
 * pipeline), so equal inputs give the IP without parsing the chain again (~4 % of an ingest's CPU).
 */
const lastAddress = {
  trust: undefined as TrustFn | undefined,
  remote: '',
  forwardedFor: '',
  forwarded: '',
  ip: '',
};

function clientIp(request: RequestContext, trust: TrustFn): string {
  const remote = request.remoteAddress ?? '';
  const forwardedFor = getHeader(request.headers, 'x-forwarded-for') ?? '';
  const forwarded = getHeader(request.headers, 'forwarded') ?? '';
  const last = lastAddress;
  if (
    last.trust === trust &&
    last.remote === remote &&
    last.forwardedFor === forwardedFor &&
    last.forwarded === forwarded
  ) {
    return last.ip;
  }
  const ip = resolveClientIp(request, trust);
  last.trust = trust;
  last.remote = remote;
  last.forwardedFor = forwardedFor;
  last.forwarded = forwarded;
  last.ip = ip;
  return ip;
}

/** Who sent the request: the client IP by the trusted proxies, its user agent and headers. */
export function clientFacts(
  request: RequestContext | undefined,
  hostname: string,
  trust: TrustFn,
): ClientFacts {
  if (!request) return { ip: '', userAgent: '', headers: noHeaders, hostname };
  return {
    ip: clientIp(request, trust),
    remoteAddress: request.remoteAddress ?? '',
    userAgent: getHeader(request.headers, 'user-agent') ?? '',
    headers: request.headers,
    hostname,
  };
}
