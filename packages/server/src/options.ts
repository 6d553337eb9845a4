import type { Logger, LogLevel, Skopos, SkoposOptions, Store } from '@skopos/core';
import type { CorsOptions } from '@skopos/transport-http';

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
  /** TCP port (default 4242, seed 002's standalone port); 0 picks a free one (see `url`). */
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
  /** Shared secret required in `X-Tracker-Key` on every route. */
  apiKey?: string | undefined;
  /** Events the memory store keeps, oldest evicted first (default 500000). */
  maxBufferSize?: number;
  /**
   * Browser origins allowed to call the server (default `'*'`: a tracker or a dashboard on any dev
   * origin). Allowed origins are echoed with `Access-Control-Allow-Credentials: true`, so that
   * vite-plugin-monitor's beacons (a JSON Blob) pass.
   */
  cors?: CorsOptions;
  /** Route prefix (default `/_tracker`). */
  basePath?: string;
  /** Use this store instead of a memory store (`sites` and `maxBufferSize` then do not apply). */
  store?: Store;
  /**
   * How often queued events are written, ms. Default: at once on the memory store (an event posted
   * can be read right away), every 1000 ms on any other `store`; JS-error counts likewise, every
   * 5000 ms on other stores (`pipeline.jsErrorBatchInterval`).
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
  /** Files served on `GET`/`HEAD` by path (`/skopos.js`, `/`); other paths go to the tracker routes. */
  assets?: Record<string, StaticAsset>;
  /** The dashboard at `<basePath>/dashboard` (default on); `false` turns it off, `route` moves it. */
  dashboard?: false | { route?: string };
  /** Lowest level logged (default `info`). */
  logLevel?: LogLevel;
  /** Where the server and the pipeline log (default: console). */
  logger?: Logger;
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

export interface RunningServer {
  /** `http://host:port` with the port actually bound. */
  url: string;
  endpoints: ServerEndpoints;
  skopos: Skopos;
  /**
   * Stops accepting connections, flushes the pipeline (`skopos.shutdown()`), then closes the
   * server. Idempotent. Resolves with how many events the shutdown flush wrote.
   */
  close(): Promise<{ flushed: number; stored: number }>;
}
