import { SkoposError } from '@skopos/core';

/** The endpoints of the HTTP transport. */
export type RouteName = 'read' | 'write' | 'stats' | 'sites' | 'ping';

/** Which route a pathname is, under one base path. */
export type RouteMatcher = (pathname: string) => RouteName | null;

/** `'/_tracker/'` → `'/_tracker'`, `'/'` → `''`; throws on a base that is not a path. */
export function normalizeBasePath(basePath: string): string {
  if (!basePath.startsWith('/') || /[?#\s]/.test(basePath)) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/transport-http] basePath must be a URL path starting with "/", got "${basePath}"`,
    );
  }
  return basePath.replace(/\/+$/, '');
}

/**
 * Maps pathnames to routes: `{base}` read, `{base}/events` write, `{base}/stats`, `{base}/sites`,
 * `{base}/ping`.
 * A trailing slash is tolerated. Framework adapters use it to pass other paths on.
 *
 * @example
 * const match = createRouteMatcher('/_tracker');
 * match('/_tracker/events'); // 'write'
 * match('/elsewhere'); // null
 */
export function createRouteMatcher(basePath: string): RouteMatcher {
  const base = normalizeBasePath(basePath);
  const table = new Map<string, RouteName>([
    [base === '' ? '/' : base, 'read'],
    [`${base}/events`, 'write'],
    [`${base}/stats`, 'stats'],
    [`${base}/sites`, 'sites'],
    [`${base}/ping`, 'ping'],
  ]);
  return (pathname) => {
    const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
    return table.get(path) ?? null;
  };
}
