import type { Context } from 'hono';

/** A pattern segment that stands for exactly one path segment: `:id`, `:id{[0-9]+}`, `*`. */
const DYNAMIC_SEGMENT = /^(?::|\*$)/;

/**
 * Where the running middleware is mounted, as a concrete path prefix without a trailing slash
 * (`''` at the root). Hono folds `app.route('/analytics', sub)`, `app.use('/a2/*', …)` and
 * `new Hono().basePath('/b3')` into the pattern the middleware was registered under, which
 * `c.req.routePath` reports (`'/analytics/*'`, `'/a2/*'`, `'/b3/*'`); its wildcard tail is cut off and
 * any `:param` segment is filled from the request path. `c.req.routePath` is read rather than
 * `routePath` from `hono/route` because that helper does not exist in every Hono 4 release.
 */
export function mountPrefix(c: Context): string {
  const pattern = c.req.routePath.replace(/\/?\*$/, '');
  if (pattern === '' || pattern === '/') return '';
  const patternSegments = pattern.split('/');
  if (!patternSegments.some((segment) => DYNAMIC_SEGMENT.test(segment))) return pattern;
  const pathSegments = c.req.path.split('/');
  return patternSegments
    .map((segment, i) => (DYNAMIC_SEGMENT.test(segment) ? (pathSegments[i] ?? '') : segment))
    .join('/');
}

/** `path` seen from under `prefix` (`'/a2/_tracker'` under `'/a2'` is `'/_tracker'`), or `null` if outside it. */
export function pathUnder(path: string, prefix: string): string | null {
  if (prefix === '') return path;
  if (path === prefix) return '/';
  return path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : null;
}
