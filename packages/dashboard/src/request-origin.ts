// Where a login request comes from, as the browser and a reverse proxy in front of the dashboard
// tell it: the cross-site check of a form POST, and whether the session cookie must be Secure.

/** The first value of a proxy header (`X-Forwarded-Host: a, b` names the client-facing host first). */
function forwarded(request: Request, name: string): string | undefined {
  const value = request.headers.get(name)?.split(',')[0]?.trim();
  return value ? value : undefined;
}

/**
 * A browser sends `Origin` with every form POST: one from another page is a cross-site request.
 * With `publicOrigin` only that origin is accepted. Without it, the request's own origin, and what a
 * reverse proxy says the browser saw: the same host over https (a proxy that terminates TLS, the
 * handler sees http), and `X-Forwarded-Proto://X-Forwarded-Host` (a proxy that also rewrites Host,
 * as nginx's default `proxy_set_header Host $proxy_host`). A cross-site form cannot set those
 * headers (a page's fetch with them needs a CORS preflight this handler never grants), so they do
 * not open the check to another site.
 */
export function crossOrigin(request: Request, url: URL, publicOrigin: string | undefined): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return false;
  if (publicOrigin !== undefined) return origin !== publicOrigin;
  if (origin === url.origin) return false;
  if (url.protocol === 'http:' && origin === `https://${url.host}`) return false;
  const host = forwarded(request, 'x-forwarded-host');
  if (host === undefined) return true;
  const proto = forwarded(request, 'x-forwarded-proto')?.toLowerCase();
  if (proto !== undefined) return origin !== `${proto}://${host}`;
  return origin !== `${url.protocol}//${host}` && origin !== `https://${host}`;
}

/**
 * Over https (seen by the handler, posted from an https page, or so a TLS-terminating proxy says):
 * the cookie is `Secure` and named `__Host-skopos_session`.
 */
export function overHttps(request: Request, url: URL): boolean {
  return (
    url.protocol === 'https:' ||
    (request.headers.get('origin')?.startsWith('https://') ?? false) ||
    forwarded(request, 'x-forwarded-proto')?.toLowerCase() === 'https'
  );
}

/** `'https://Stats.Example.com/'` → `'https://stats.example.com'`; `null` for anything but an http(s) origin. */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return null;
  return url.origin;
}
