import type { TrackerEvent } from '@skopos/core/lite';

export type { TrackerEvent };

/** Options of `createTracker`; the script tag reads the same from `data-*` attributes. */
export interface TrackerOptions {
  /** Tracking id sent as `siteId` on every event (script tag: `data-site`; vite-plugin-monitor: `appId`). */
  site?: string | undefined;
  /** Write URL (default `/_tracker/events`, same origin). Script tag: `data-write-endpoint`. */
  writeEndpoint?: string | undefined;
  /**
   * WebSocket URL (`ws://`/`wss://`) of `createWsTracker` and `skopos-ws.global.js` (default
   * `/_tracker/ws` on the page's host); the HTTP tracker ignores it. Script tag: `data-ws-endpoint`.
   */
  wsEndpoint?: string | undefined;
  /** Shared key: `?key=` on the HTTP write URL (beacons cannot carry headers); `auth` over WebSocket. */
  apiKey?: string | undefined;
  /** Events per request; reaching it sends at once (default 25, vite-plugin-monitor). */
  batchSize?: number | undefined;
  /** Longest wait before queued events are sent, ms (default 3000, vite-plugin-monitor). */
  flushInterval?: number | undefined;
  /** Count `#/route` changes as pages and keep the hash in URLs (default false: hashes are dropped). */
  hashMode?: boolean | undefined;
  /** Track on localhost, 127.x and `[::1]` too (default false). */
  allowLocalhost?: boolean | undefined;
  /** Send nothing when the browser says Do-Not-Track or Global Privacy Control (default false). */
  respectDnt?: boolean | undefined;
  /** No automatic page views (default false): call `pageview()` yourself. Script tag: `data-manual`. */
  manual?: boolean | undefined;
}

/** The tracker handle (`window.skopos` for the script tag). */
export interface Tracker {
  /** A custom event; `data` becomes `customData` (a plain JSON object, ≤ 8 KB on the server). */
  track(name: string, data?: Record<string, unknown>): void;
  /** A page view of the current URL, even when it was already counted. */
  pageview(): void;
  /** Sends what is queued now; `beacon` uses `navigator.sendBeacon` (for a page that is going away). */
  flush(beacon?: boolean): void;
  /**
   * Sends what is queued and tracks nothing more. Its listeners stay (they then do nothing), and
   * so does its wrapping of `history.pushState`/`replaceState`, which a later tracker of the page
   * wraps again.
   */
  stop(): void;
}
