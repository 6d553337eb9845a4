import type { Stats } from '@skopos/core';

/**
 * Injected by the server into index.html (see the package's `createDashboardHandler`). It holds no
 * key: reads are authorized by the server, with the session cookie when the page has a login.
 */
export interface PageConfig {
  readEndpoint: string;
  pingEndpoint?: string;
  /** The page was served with a login at `./login`. */
  login?: true;
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

/** An event as the read endpoint returns it. */
export interface WireEvent {
  id: string;
  session: string;
  type: string;
  path: string;
  eventName: string;
  eventData?: Record<string, unknown>;
  timestamp: string;
}

export interface EventPage {
  events: WireEvent[];
  total: number;
  nextCursor?: string;
}

export interface EventFilter {
  type?: string;
  cursor?: string;
}

export interface Api {
  stats(since: number, until: number): Promise<Stats>;
  events(since: number, until: number, filter: EventFilter): Promise<EventPage>;
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
  const headers: Record<string, string> = { accept: 'application/json' };
  // `?site=` on the dashboard's own URL scopes every read to that site.
  const site = new URLSearchParams(location.search).get('site');

  async function getJson<T>(url: URL): Promise<T> {
    if (site) url.searchParams.set('site', site);
    // The session cookie (HttpOnly, SameSite=Strict) goes along to a same-origin read endpoint.
    const response = await fetch(url, { headers, credentials: 'same-origin' });
    if (response.status === 401) throw new UnauthorizedError(`${url.pathname}: HTTP 401`);
    if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  function range(url: URL, since: number, until: number): URL {
    url.searchParams.set('since', new Date(since).toISOString());
    url.searchParams.set('until', new Date(until).toISOString());
    return url;
  }

  const api: Api = {
    stats: (since, until) => getJson<Stats>(range(endpointUrl(config.readEndpoint, '/stats'), since, until)),
    events: (since, until, filter) => {
      const url = range(endpointUrl(config.readEndpoint), since, until);
      url.searchParams.set('limit', '50');
      url.searchParams.set('order', 'desc');
      if (filter.type) url.searchParams.set('type', filter.type);
      if (filter.cursor) url.searchParams.set('cursor', filter.cursor);
      return getJson<EventPage>(url);
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
