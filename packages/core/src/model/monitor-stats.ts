/**
 * The parts of `Stats` read from vite-plugin-monitor's `http` and `navigation` payloads: the
 * views of the peer's dashboard (HTTP stats, navigation funnel), computed by the store.
 */

/**
 * How a call ended: by the response's status (`2xx` 200–299, `3xx` 300–399, `4xx` 400–499, `5xx`
 * ≥ 500, as the peer's dashboard groups them) or `failed` without one (a network error: the
 * client recorded `error` and no `status`).
 */
export type HttpStatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'failed';

/** One endpoint: calls with the same method and URL (host and path, query and hash left out). */
export interface HttpEndpointRow {
  /**
   * `'GET /api/cart'` for a relative URL, `'POST api.example.com/v1/cart'` for an absolute one
   * (two APIs may share a path), no method prefix when the client sent none.
   */
  key: string;
  calls: number;
  /** Calls answered 4xx or 5xx, or that failed without a status. */
  errors: number;
  /** Mean duration (ms) of its calls that have a positive `duration`; 0 when none has. */
  avgDuration: number;
}

/** One call, for the list of the slowest. */
export interface HttpSlowCall {
  /** Its endpoint (`HttpEndpointRow.key`). */
  key: string;
  /** ms, as the client measured it. */
  duration: number;
  /** Event time (epoch ms). */
  at: number;
}

/** The range's `http` events, as the peer's dashboard summarises them. */
export interface HttpStats {
  /** `http` events in range. */
  calls: number;
  /** Calls without a status (network errors); equals `byClass.failed`. */
  failed: number;
  /**
   * Mean duration (ms) over the calls with a positive `duration` (the peer averages only
   * truthy ones, so a missing or 0 duration does not pull the mean down); 0 when none has.
   */
  avgDuration: number;
  /** Calls per status class. A status outside them (0 of an opaque response, 1xx) is in none. */
  byClass: Record<HttpStatusClass, number>;
  /** Most called endpoints (`top` rows): calls descending, then key. Calls without a URL are left out. */
  endpoints: HttpEndpointRow[];
  /**
   * Slowest endpoints (`top` rows) by `avgDuration` descending, then calls descending, then key;
   * endpoints without a timed call are left out. The peer's "slowest endpoint" is the first.
   */
  slowestEndpoints: HttpEndpointRow[];
  /** Slowest single calls (`top` rows): duration descending, then earliest, then key. */
  slowest: HttpSlowCall[];
}

/** A step of the navigation funnel: `navigation` events from one route to another. */
export interface NavigationStep {
  from: string;
  to: string;
  count: number;
}
