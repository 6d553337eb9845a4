import type {
  Journal,
  Logger,
  LogLevel,
  ShutdownSummary,
  Skopos,
  SkoposOptions,
  Store,
  TrustProxySetting,
} from '@skopos/core';
import type { CorsOptions, RateLimitOptions } from '@skopos/transport-http';
import type { ServerLimitOptions, ServerLimits } from '@skopos/transport-http/node';

/** A site the memory store knows from the start: `domain` empty or absent = no hostname check. */
export interface SiteSpec {
  trackingId: string;
  domain?: string;
}

/** A file the server answers on `GET <path>` next to the tracker routes (the tracker script, a demo page). */
export interface StaticAsset {
  /** `Content-Type`, e.g. `text/html; charset=utf-8`. */
  type: string;
  body: string;
}

export interface StartServerOptions {
  /** TCP port (default 4242, vite-plugin-monitor's standalone port); 0 picks a free one (see `url`). */
  port?: number;
  /** Interface to listen on (default `127.0.0.1`: reachable from this machine only). */
  host?: string;
  /**
   * Sites to accept; without any, every site an event names (its `siteId`, vite-plugin-monitor's
   * `appId`, or `?site=`) is accepted and created on first use.
   */
  sites?: SiteSpec[];
  /** Tracking id for events that name none (default: the only entry of `sites`, if there is exactly one). */
  siteId?: string | undefined;
  /**
   * The write key, required in `X-Tracker-Key` (or `?key=`) to post events. Every tracked page
   * holds it, so without a `readKey` it also opens reads (as in vite-plugin-monitor) and the
   * server warns once.
   */
  apiKey?: string | undefined;
  /**
   * The key that opens reads and stats (HTTP `X-Tracker-Key`/`Authorization: Bearer`, WebSocket
   * `auth`). Without any read credential, reads answer only clients on this machine.
   */
  readKey?: string | undefined;
  /** Events the memory store keeps, oldest evicted first (default 500000). */
  maxBufferSize?: number;
  /**
   * Characters the memory store's events may hold in their variable fields (custom data, payloads,
   * paths, names), oldest evicted first past it (`--max-buffer-mb`, in MiB; default 256 MiB): what
   * bounds memory when events are large, as vite-plugin-monitor's can be (up to ~32 KB each).
   */
  maxBufferBytes?: number;
  /**
   * Events the memory store keeps per site, up to `maxBufferSize` (`--max-buffer-per-site`); at it,
   * the site's own oldest event makes room (default: no cap of its own).
   */
  maxEventsPerSite?: number;
  /**
   * Browser origins allowed to call the server, echoed with `Access-Control-Allow-Credentials: true`
   * on the write route so that vite-plugin-monitor's beacons (a JSON Blob) pass. Default: any
   * origin may post events (trackers run on the sites' pages), while reads and stats stay
   * same-origin, so that another site's script cannot read the analytics through a visitor's browser.
   */
  cors?: CorsOptions;
  /**
   * Writes per client per window → 429 with `Retry-After`. An HTTP batch and a WebSocket `ingest`
   * frame each count once, against one budget per client (over the limit a frame gets a retryable
   * `error` with `retryAfter`). Default 600 per 60 s: ten a second, far above a tab's tracker (a
   * batch every 1–3 s) yet a ceiling on a flood. A client is the IP `trustProxy` resolves, an IPv6
   * client its /64. `false` = no limit. Wrong read keys are limited apart: 10 a minute per client.
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * Which peers may name the client in `X-Forwarded-For`/`Forwarded` (Express's `trust proxy`
   * values: `true`, a hop count, IPs/CIDRs, `'loopback'`…; default: nobody). Behind a reverse proxy
   * set it, or every visitor is the proxy: one visitor id, one rate-limit bucket. Applies to the
   * HTTP routes, the WebSocket endpoint and the pipeline (wins over `pipeline.trustProxy`).
   */
  trustProxy?: TrustProxySetting;
  /**
   * Connection caps and timeouts (see `hardenServer` of `@skopos/transport-http/node`): 64 open
   * connections per client address, 4096 in all (fewer under a low `ulimit -n`), headers within
   * 10 s, a whole request within 30 s, idle keep-alive closed after 5 s, a client that reads
   * nothing of an answer for 30 s dropped (`stalledWriteMs`). The per-address cap counts
   * socket peers: behind a proxy set `maxConnectionsPerIp: 0` (or raise it).
   */
  connections?: ServerLimitOptions;
  /** Route prefix (default `/_tracker`). */
  basePath?: string;
  /** Use this store instead of a memory store (`sites`, `maxBufferSize`, `maxBufferBytes` and `maxEventsPerSite` then do not apply). */
  store?: Store;
  /**
   * How often queued events are written, ms. Default: at once on the memory store (an event posted
   * can be read right away), every 1000 ms on any other `store`, or once 5000 events wait
   * (`pipeline.maxBatchSize`); JS-error counts likewise, every 5000 ms on other stores
   * (`pipeline.jsErrorBatchInterval`).
   */
  batchInterval?: number;
  /** Further pipeline options (trustProxy, visitorIdMode…). */
  pipeline?: Omit<SkoposOptions, 'store' | 'logger'>;
  /**
   * Countries and regions from the client's IP address by geoip-lite when no CDN header gives them
   * (`skopos serve --geoip`): `chainGeo(pipeline.geo ?? cdnHeaderGeo(), geoipLookup())`. Needs the
   * optional package `@skopos/geoip`; its database (~140 MB of memory) is loaded at the first
   * public address.
   */
  geoip?: boolean;
  /**
   * A write-ahead journal directory (`skopos serve --journal <dir>`; or a `Journal` object): every
   * accepted event is on disk before its answer, replayed at the next start if the store had not
   * confirmed it, and live sessions continue across restarts. One server per directory.
   */
  journal?: string | Journal;
  /**
   * Log files like vite-plugin-monitor's `logging` option (`skopos serve --log-dir <dir>`): every
   * event the store accepts is appended to `<dir>/skopos-<UTC date>.log` as a JSON line, a file per
   * day, 30 kept. A memory store is filled from them at start (the newest `maxBufferSize` events).
   * Not the journal: these files are the kept record of events; the journal only holds pending writes.
   */
  logDir?: string;
  /** Files served on `GET`/`HEAD` by path (`/skopos.js`, `/`); other paths go to the tracker routes. */
  assets?: Record<string, StaticAsset>;
  /**
   * The dashboard at `<basePath>/dashboard` (default on); `false` turns it off, `route` moves it.
   * With `password` it serves a login whose session cookie opens reads. Without one, the dashboard
   * is served only where its reads need no credential: on a loopback `host` with no `apiKey`/`readKey`
   * (otherwise `startServer` refuses, naming the option to set).
   */
  dashboard?: false | DashboardServing;
  /** Lowest level logged (default `info`). */
  logLevel?: LogLevel;
  /** Where the server and the pipeline log (default: console). */
  logger?: Logger;
}

/** How `startServer` serves the dashboard. */
export interface DashboardServing {
  /** Where (default `<basePath>/dashboard`). */
  route?: string;
  /** The login's password (`--dashboard-password`, `SKOPOS_DASHBOARD_PASSWORD`). */
  password?: string;
  /**
   * The origin users reach the dashboard at behind a proxy (`--dashboard-origin`,
   * `https://stats.example.com`): logins are accepted only from its pages.
   */
  publicOrigin?: string;
  /**
   * Signs the session cookies (`SKOPOS_SESSION_SECRET`, ≥ 16 bytes): with it, sessions survive a
   * restart and several server processes accept each other's. Default: random per process.
   */
  sessionSecret?: string;
}

/** The routes a running server answers, as absolute URLs. */
export interface ServerEndpoints {
  write: string;
  read: string;
  stats: string;
  ping: string;
  /** The WebSocket endpoint (`ws://…/_tracker/ws`): vite-plugin-monitor's `websocket` mode and Skopos' WebSocket sender. */
  websocket: string;
  /** The dashboard page, unless turned off. */
  dashboard?: string;
}

/** What `RunningServer.close()` reports. */
export interface ClosedServer extends ShutdownSummary {
  /** Events the shutdown flush wrote. */
  flushed: number;
  /** Events stored since the server started. */
  stored: number;
}

export interface RunningServer {
  /** `http://host:port` with the port actually bound. */
  url: string;
  endpoints: ServerEndpoints;
  skopos: Skopos;
  /** The connection limits and timeouts in force (defaults filled in), and connections open and refused so far. */
  limits: ServerLimits;
  /**
   * Stops accepting connections, flushes the pipeline (`skopos.shutdown()`), then closes the
   * server. Idempotent. Resolves with how many events the shutdown flush wrote, how many are
   * stored since start, and what the store did not take (kept in the journal when there is one).
   */
  close(): Promise<ClosedServer>;
}
