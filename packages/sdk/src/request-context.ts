import { compileTrustProxy, getHeader, normalizeIp, type RequestContext } from '@skopos/core';

type NodeHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * A Node `IncomingMessage`, or an object mimicking one for custom ingestion endpoints:
 * `{ headers: { 'user-agent': '…' }, socket: { remoteAddress: '203.0.113.7' } }`.
 */
export interface NodeRequestLike {
  headers: NodeHeaders;
  socket?: { remoteAddress?: string | undefined } | null | undefined;
  /** Older Node code and mocks set `connection` instead of `socket`. */
  connection?: { remoteAddress?: string | undefined } | null | undefined;
  rawHeaders?: readonly string[] | undefined;
  /** The request target (`/signup?plan=pro`): its path is the page a server event is stored under. */
  url?: string | undefined;
}

/** An Express request: an `IncomingMessage` that knows its app (for the `trust proxy` setting). */
export interface ExpressRequestLike extends NodeRequestLike {
  app: { get(setting: string): unknown };
  /** The target as the client sent it: a router mounted at a path rewrites `url`, not this. */
  originalUrl?: string | undefined;
}

/** What `trackApiEvent`, `trackServerEvent` and `identify` accept as `req`. */
export type SdkRequest = NodeRequestLike | ExpressRequestLike | Request | RequestContext;

function isFetchRequest(req: SdkRequest): req is Request {
  if (typeof Request !== 'undefined' && req instanceof Request) return true;
  // Requests of another realm or polyfill (undici, Hono's) are not `instanceof` the global class.
  const candidate = req as { headers?: { get?: unknown }; url?: unknown; method?: unknown };
  return (
    typeof candidate.headers?.get === 'function' &&
    typeof candidate.url === 'string' &&
    typeof candidate.method === 'string'
  );
}

function isExpressRequest(req: SdkRequest): req is ExpressRequestLike {
  const app = (req as { app?: { get?: unknown } }).app;
  return typeof app?.get === 'function' && 'headers' in req;
}

function isNodeRequest(req: SdkRequest): req is NodeRequestLike {
  return 'socket' in req || 'connection' in req || 'rawHeaders' in req;
}

/** Mocks often spell `User-Agent`; Node itself always hands over lower-case names. */
function lowerCaseKeys(headers: NodeHeaders): NodeHeaders {
  const keys = Object.keys(headers);
  if (keys.every((key) => key === key.toLowerCase())) return headers;
  const lowered: Record<string, string | readonly string[] | undefined> = {};
  for (const key of keys) lowered[key.toLowerCase()] = headers[key];
  return lowered;
}

/** A Fetch `Request` has no socket: the peer address is unknown, so only `trustProxy` can reveal the client. */
export function fetchRequestContext(req: Request): RequestContext {
  return { headers: req.headers };
}

/** A Node `IncomingMessage` (or a mimic): the socket peer plus the headers. */
export function nodeRequestContext(req: NodeRequestLike): RequestContext {
  const remoteAddress = req.socket?.remoteAddress ?? req.connection?.remoteAddress;
  const headers = Array.isArray(req.rawHeaders) ? req.headers : lowerCaseKeys(req.headers);
  return { headers, remoteAddress };
}

/**
 * An Express request: the socket peer, not `req.ip`, so the SDK's own `trustProxy` decides whether
 * `X-Forwarded-For` counts — one rule for every framework, spoof-proof by default.
 */
export function expressRequestContext(req: ExpressRequestLike): RequestContext {
  return nodeRequestContext(req);
}

/** True when the Express app trusts proxies (`app.set('trust proxy', …)`), to warn about a mismatch. */
function expressTrustsProxy(req: SdkRequest): boolean {
  if (!isExpressRequest(req)) return false;
  const setting = req.app.get('trust proxy');
  return setting !== false && setting !== undefined && setting !== 0;
}

/** Anything with a `headers` object; the three kinds are told apart by `toRequestContext`. */
export function isRequest(req: unknown): req is SdkRequest {
  return (
    typeof req === 'object' && req !== null && typeof (req as { headers?: unknown }).headers === 'object'
  );
}

/**
 * A real `IncomingMessage` (Express's included): raw headers as an array and a plain headers object.
 * Checked first because it is what nearly every call carries, and it rules out the Fetch tests
 * below (`instanceof Request` walks the whole prototype chain of an `IncomingMessage`).
 */
function isIncomingMessage(req: SdkRequest): req is NodeRequestLike {
  const { rawHeaders, headers } = req as { rawHeaders?: unknown; headers: { get?: unknown } };
  return Array.isArray(rawHeaders) && typeof headers.get !== 'function';
}

/** The `{ headers, remoteAddress }` the pipeline needs, from any kind of request the SDK accepts. */
export function toRequestContext(req: SdkRequest): RequestContext {
  if (isIncomingMessage(req)) return nodeRequestContext(req);
  if (isFetchRequest(req)) return fetchRequestContext(req);
  if (isExpressRequest(req)) return expressRequestContext(req);
  if (isNodeRequest(req)) return nodeRequestContext(req);
  const { headers } = req;
  if (typeof (headers as { get?: unknown }).get === 'function') return req;
  return { headers: lowerCaseKeys(headers as NodeHeaders), remoteAddress: req.remoteAddress };
}

/** Addresses a reverse proxy of the app's own usually has: this machine or its private network. */
const nearbyPeer = compileTrustProxy(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The socket peer when it looks like the app's own reverse proxy (on this machine or its private
 * network) and names a client in a forwarding header: with `trustProxy` off, every visitor behind
 * it gets its address (one visitor, or all dropped as `localhost`), worth a warning.
 */
function nearbyForwardingPeer(context: RequestContext): string | undefined {
  const peer = context.remoteAddress;
  if (peer === undefined || peer === '') return undefined;
  const { headers } = context;
  const forwarded =
    getHeader(headers, 'x-forwarded-for') ??
    getHeader(headers, 'forwarded') ??
    getHeader(headers, 'x-real-ip');
  if (forwarded === undefined || forwarded.trim() === '') return undefined;
  return nearbyPeer(normalizeIp(peer), 0) ? peer : undefined;
}

/** What to warn about (once) when the SDK's `trustProxy` is off and the request says a proxy is in front. */
export function proxyWarning(req: SdkRequest, context: RequestContext): string | undefined {
  if (expressTrustsProxy(req)) {
    return "Express trusts proxies but SkoposSDK's trustProxy is false, so X-Forwarded-For is ignored and visitors behind the proxy share its IP: pass trustProxy to SkoposSDK.init";
  }
  const proxy = nearbyForwardingPeer(context);
  if (proxy === undefined) return undefined;
  // The original SDK always believed X-Forwarded-For; apps behind nginx relied on it.
  return `a request from ${proxy} names a client in X-Forwarded-For, but SkoposSDK's trustProxy is false, so every visitor behind that proxy gets its address (and is dropped as localhost where disableLocalhostTracking is on): if ${proxy} is your reverse proxy, pass trustProxy: 'loopback' (or its address) to SkoposSDK.init`;
}
