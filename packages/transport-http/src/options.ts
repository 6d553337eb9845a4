import type { Logger, Skopos, TrustProxySetting } from '@skopos/core';
import type { ClientLimits } from './client-limits.ts';
import type { RateLimitOptions } from './rate-limit.ts';

/** Facts about the connection that a Fetch `Request` does not carry. */
export interface RequestInfo {
  /** The socket peer address; the pipeline reads `X-Forwarded-For` only when this peer is a trusted proxy. */
  remoteAddress?: string | undefined;
  /**
   * Whether the client is a program on this machine (reads answer it when no read credential is
   * configured). Adapters that resolved the client themselves say so here; otherwise the handler
   * works it out from `remoteAddress`, the forwarding headers and `trustProxy`.
   */
  local?: boolean | undefined;
  /** The HTTP version as Node gives it (`req.httpVersion`): `'1.0'` is never local (see `isLocalClient`). */
  httpVersion?: string | undefined;
  /** The framework's own request object (Express `req`, Hono `c`), handed to an adapter's `authorizeRead`. */
  native?: unknown;
}

/** A runtime-neutral endpoint: Fetch `Request` in, `Response` out. It never throws. */
export type HttpHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

export interface CorsOptions {
  /** Origins allowed to call the endpoints from a browser (`https://app.example.com`), or `'*'` for any. */
  origins: readonly string[] | '*';
}

export interface HttpHandlerOptions {
  /** The pipeline from `createSkopos`. */
  skopos: Skopos;
  /**
   * Tracking id used when an event carries no `siteId` or `appId` and the URL no `?site=`; also
   * scopes reads (without it, a read without `?site=` covers every site).
   */
  siteId?: string | undefined;
  /** Where the routes live (default `/_tracker`): `POST {base}/events`, `GET {base}`, `{base}/stats`, `{base}/ping`. */
  basePath?: string | undefined;
  /**
   * The write key: when set, `POST {base}/events` requires it in `X-Tracker-Key`, or as `?key=`
   * when the header is absent (`navigator.sendBeacon` cannot send headers) → 401 otherwise. It is
   * in every tracked page, so it is no secret: without a `readKey` it also opens reads (as in
   * vite-plugin-monitor) and the handler warns once.
   */
  apiKey?: string | undefined;
  /**
   * The key that opens `GET {base}` and `{base}/stats` (in `X-Tracker-Key` or `Authorization:
   * Bearer`). Without any read credential (`readKey`, `apiKey`, `authorizeRead`), reads answer only
   * clients on this machine and refuse others with 401.
   */
  readKey?: string | undefined;
  /**
   * Your own read check, for apps that have their auth (a session, a role): `true` lets the read
   * through. It runs only when no key matched, with `info.local` worked out; a throw counts as `false`.
   *
   * @example
   * authorizeRead: (request) => request.headers.get('cookie')?.includes('admin=1') ?? false
   */
  authorizeRead?: ((request: Request, info: RequestInfo) => boolean | Promise<boolean>) | undefined;
  /** `false` removes the read and stats routes (404); writes and ping stay. Default `true`. */
  reads?: boolean | undefined;
  /**
   * Browser cross-origin access: the listed origins may call every route (echoed; on the write
   * route with `Access-Control-Allow-Credentials: true`, since a beacon with a JSON Blob is a
   * credentialed request). A write from another page (not listed, not this server's own) is
   * refused with 403, readable by that page. Without it, any origin may post to the write route,
   * and reads, stats and ping stay same-origin.
   */
  cors?: CorsOptions | undefined;
  /**
   * Largest accepted request body in bytes (default and ceiling: core's `LIMITS.batchBodyMaxBytes`,
   * 1 MiB) → 413 beyond it. A body that is not a `{ "events": [...] }` batch (one event) is held to
   * `LIMITS.bodyMaxBytes` (64 KB) whatever this says.
   */
  maxBodyBytes?: number | undefined;
  /**
   * Reads without `limit` (the whole window, streamed: vite-plugin-monitor's dashboard) answered
   * at once; one more gets 503 with `Retry-After` (default core's `MAX_WINDOW_READS`, 4).
   */
  maxWindowReads?: number | undefined;
  /**
   * Per-client-IP limit on `POST {base}/events` requests (a batch counts once) → 429 with
   * `Retry-After`. Reads, stats and ping are not limited. Off by default.
   */
  rateLimit?: RateLimitOptions | undefined;
  /**
   * Which peers may name the client in `X-Forwarded-For` for the limits (core's `trustProxy`
   * meanings; default `false`). Give it the same value as `createSkopos({ trustProxy })`.
   */
  trustProxy?: TrustProxySetting | undefined;
  /**
   * Per-client limits shared with the other paths of the app (`createClientLimits`): the Node write
   * route, a WebSocket server. With it, give `rateLimit` and `trustProxy` to `createClientLimits`
   * instead. Without it the handler makes its own from `rateLimit` and `trustProxy`, with the
   * default limit on wrong read keys (10 a minute per client → 429).
   */
  limits?: ClientLimits | undefined;
  /**
   * `'queued'` (default): a 2xx means the pipeline queued the events. `'durable'`: the write route
   * waits for `skopos.flush()`, so a 2xx means the store has them, and a failing store gives 503.
   */
  ack?: 'queued' | 'durable' | undefined;
  /**
   * Fields the ping answer carries next to `ok: true`, e.g. vite-plugin-monitor's
   * `{ appId, mode, version }` (the Vite plugin's servers send those). Anybody may ping: put nothing
   * secret here.
   */
  pingInfo?: Readonly<Record<string, string | number | boolean>> | undefined;
  /** Where unexpected failures are reported (default: console with the `[skopos/transport-http]` prefix). */
  logger?: Logger | undefined;
}
