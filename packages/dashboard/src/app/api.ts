import type { Stats } from '@skopos/core';

/**
 * Injected by the server into index.html (see the package's `createDashboardHandler`). It holds no
 * key: reads are authorized by the server, with the session cookie when the page has a login.
 */
export interface PageConfig {
  readEndpoint: string;
  pingEndpoint?: string;
  /** Milliseconds between refreshes of the Live range (vite-plugin-monitor's `dashboard.pollInterval`). */
  pollInterval?: number;
  /** The page was served with a login at `./login`. */
  login?: true;
  /** Sent with every read and ping: only in a static copy built by `@skopos/vite`, never when served. */
  readHeaders?: Record<string, string>;
}

/** A read answered 401: signed out (session expired, server restarted) or never allowed. */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
}

declare global {
  interface Window {
    __SKOPOS_DASHBOARD__?: PageConfig;
  }
}

/** An event as the read endpoint returns it (the fields the page uses). */
export interface WireEvent {
  id: string;
  session: string;
  type: string;
  level?: string;
  /** The site's trackingId (vite-plugin-monitor's name for it). */
  appId?: string;
  path: string;
  eventName: string;
  eventData?: Record<string, unknown>;
  payload?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  context?: Record<string, unknown>;
  /** The client's ids (vite-plugin-monitor's); `sessionId` falls back to Skopos' session. */
  sessionId?: string;
  userId?: string;
  groupId?: string;
  timestamp: string;
}

export interface EventPage {
  events: WireEvent[];
  total: number;
  nextCursor?: string;
}

/** What every read is scoped to: a site ('' = every site the endpoint answers for) and a window. */
export interface Scope {
  site: string;
  since: number;
  until: number;
}

export interface EventFilter {
  type?: string;
  level?: string;
  search?: string;
  userId?: string;
  sessionId?: string;
  cursor?: string;
}

export interface Api {
  stats(scope: Scope): Promise<Stats>;
  events(scope: Scope, filter: EventFilter, limit?: number): Promise<EventPage>;
  /** How many events of the window have each value of `field` (one `limit=1` read per value). */
  counts(scope: Scope, field: 'type' | 'level', values: readonly string[]): Promise<Map<string, number>>;
  /**
   * The trackingIds of the server's sites (`GET {read}/sites`), or `null` when it cannot list them
   * (a store without `listWebsites`, or a server older than the endpoint).
   */
  sites(): Promise<string[] | null>;
  /** `undefined` when no ping endpoint is configured. */
  ping?: () => Promise<boolean>;
}

export function readConfig(): PageConfig {
  const config = window.__SKOPOS_DASHBOARD__;
  if (!config?.readEndpoint) {
    throw new Error(
      'This page needs window.__SKOPOS_DASHBOARD__: open it through the Skopos dashboard handler.',
    );
  }
  return config;
}

/** An absolute URL for an endpoint that may be a path (`/_tracker`) or a full URL. */
function endpointUrl(endpoint: string, suffix = ''): URL {
  const url = new URL(endpoint, location.origin);
  url.pathname = url.pathname.replace(/\/+$/, '') + suffix;
  return url;
}

export function createApi(config: PageConfig): Api {
  const headers: Record<string, string> = { ...config.readHeaders, accept: 'application/json' };

  async function getJson<T>(url: URL): Promise<T> {
    // The session cookie (HttpOnly, SameSite=Strict) goes along to a same-origin read endpoint.
    const response = await fetch(url, { headers, credentials: 'same-origin' });
    if (response.status === 401) throw new UnauthorizedError(`${url.pathname}: HTTP 401`);
    if (response.status === 404 && url.searchParams.has('site')) {
      throw new Error(`no site "${url.searchParams.get('site')}" on this server`);
    }
    if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  function scoped(suffix: string, scope: Scope): URL {
    const url = endpointUrl(config.readEndpoint, suffix);
    url.searchParams.set('since', new Date(scope.since).toISOString());
    url.searchParams.set('until', new Date(scope.until).toISOString());
    if (scope.site) url.searchParams.set('site', scope.site);
    return url;
  }

  const events: Api['events'] = (scope, filter, limit = 50) => {
    const url = scoped('', scope);
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('order', 'desc');
    for (const key of ['type', 'level', 'userId', 'sessionId', 'search', 'cursor'] as const) {
      const value = filter[key];
      if (value) url.searchParams.set(key, value);
    }
    return getJson<EventPage>(url);
  };

  const api: Api = {
    stats(scope) {
      const url = scoped('/stats', scope);
      // Day bars from this browser's midnights, not UTC's (the offset at the range's end).
      url.searchParams.set('utcOffset', String(-new Date(scope.until).getTimezoneOffset()));
      return getJson<Stats>(url);
    },
    events,
    async sites() {
      const url = endpointUrl(config.readEndpoint, '/sites');
      const response = await fetch(url, { headers, credentials: 'same-origin' });
      if (response.status === 404) return null;
      if (response.status === 401) throw new UnauthorizedError(`${url.pathname}: HTTP 401`);
      if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
      const answer = (await response.json()) as { sites?: { trackingId: string }[]; listed?: boolean };
      return answer.listed && answer.sites ? answer.sites.map((site) => site.trackingId) : null;
    },
    async counts(scope, field, values) {
      const totals = await Promise.all(values.map((value) => events(scope, { [field]: value }, 1)));
      return new Map(values.map((value, i) => [value, totals[i]?.total ?? 0]));
    },
  };
  const ping = config.pingEndpoint;
  if (ping) {
    api.ping = async () => {
      try {
        return (await fetch(endpointUrl(ping), { headers, cache: 'no-store', credentials: 'same-origin' }))
          .ok;
      } catch {
        return false;
      }
    };
  }
  return api;
}
