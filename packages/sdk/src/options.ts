import type {
  DroppedCall,
  GeoLookup,
  Logger,
  LogSink,
  Store,
  TrustProxySetting,
  VisitorIdMode,
} from '@skopos/core';

/** Options of `SkoposSDK.init` — the original Skopos SDK's table, then a few additions (all optional). */
export interface SkoposSDKOptions {
  /** Base URL of your PocketBase instance (must be reachable from the server). Not needed with `store`. */
  pocketbaseUrl?: string | undefined;
  /** Website tracking ID. Must match `websites.trackingId`. */
  siteId: string;
  /** PocketBase superuser email; lets the SDK write even if collection rules are restrictive. */
  adminEmail?: string | undefined;
  /** PocketBase superuser password. */
  adminPassword?: string | undefined;
  /** Enables in-memory event batching (default `false`: every call is written at once). */
  batch?: boolean | undefined;
  /** Flush interval in ms when batching (default 10000). */
  batchInterval?: number | undefined;
  /** Flush immediately once the queue holds this many events (default 100). */
  maxBatchSize?: number | undefined;
  /** Inactivity window before a session expires, ms (default 30 min). */
  sessionTimeoutMs?: number | undefined;
  /** Flush cadence of deduplicated JS errors, ms (default 5 min). */
  jsErrorBatchInterval?: number | undefined;
  /** Debug lines too (without it: errors, warnings and a few info lines). Default `false`. */
  debug?: boolean | undefined;
  /**
   * The original Skopos SDK's Chapybara API key, accepted so that its options still compile. Skopos
   * does not call Chapybara: setting it only logs a warning. Countries come from `geo` instead.
   */
  chapybaraApiKey?: string | undefined;

  /**
   * Which peers may set `X-Forwarded-For` / `Forwarded`, with Express's `trust proxy` meanings
   * (`true`, a hop count, IPs/CIDRs, `'loopback'`…). Default `false`: the socket address is the
   * client. Set it when running behind a reverse proxy, or every visitor looks like the proxy.
   */
  trustProxy?: TrustProxySetting | undefined;
  /**
   * Visitor id scheme. Default `'stable'`: HMAC-SHA256 of site, IP and user agent keyed by a secret
   * salt kept in the store, so an id cannot be turned back into the IP. `'daily'` also rotates the
   * salt every day. `'legacy'`: the original SDK's SHA-256 of `siteId-ip-userAgent` (as the original Skopos SDK
   * documents), so visitors it recorded keep their ids — but anyone holding an id can recover the
   * IP by hashing candidate addresses; choose it only to continue such data. See `@skopos/core`.
   */
  visitorIdMode?: VisitorIdMode | undefined;
  /** Salt for the `stable`/`daily` modes when the store cannot keep one. */
  secret?: string | undefined;
  /** Country/region lookup (default: CDN headers such as `cf-ipcountry`). */
  geo?: GeoLookup | undefined;
  /**
   * How long one request to PocketBase may take, its answer included, ms (default 60000): past it
   * the call fails (`store_failed`) and a write is retried later, so a PocketBase that takes
   * connections but stops answering (frozen, swapping, a stuck proxy) cannot hold the queue.
   */
  pocketbaseTimeoutMs?: number | undefined;
  /** How long `shutdown()` keeps retrying a failing store before giving up, ms (default 30000). */
  shutdownTimeoutMs?: number | undefined;
  /** Events kept in memory while the store fails (default 100000). */
  maxQueueSize?: number | undefined;
  /** Route log lines to your own logging (default: `console`). */
  logSink?: LogSink | undefined;
  /** A complete logger; wins over `debug` and `logSink`. */
  logger?: Logger | undefined;
  /**
   * Hears of every call that did not record its event, with the check that refused it (`bot:
   * user-agent`, `invalid: url`…). `trackApiEvent` is usually not awaited, so this is where to log.
   *
   * @example
   * onDrop: (drop) => console.warn(`${drop.call} dropped: ${drop.detail ?? drop.reason}`)
   */
  onDrop?: ((drop: DroppedCall) => void) | undefined;
  /**
   * Advanced: any `Store` from `@skopos/core` instead of PocketBase (e.g. `memoryStore()` in tests,
   * or your own adapter). `pocketbaseUrl` and the admin credentials are then ignored.
   */
  store?: Store | undefined;
}
