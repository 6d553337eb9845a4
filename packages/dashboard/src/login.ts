import { createHash } from 'node:crypto';
import { SkoposError } from '@skopos/core';
import { createFailureLimit } from './failure-limit.ts';
import {
  createPasswordCheck,
  createSessionTokens,
  DEFAULT_SESSION_TTL_SECONDS,
  type HeadersLike,
  SECURE_SESSION_COOKIE,
  SESSION_COOKIE,
  sessionCookieValues,
} from './session.ts';

/** What the handler knows about the connection (as `@skopos/transport-http/node` passes it). */
export interface DashboardRequestInfo {
  /**
   * The client's address; failed logins are limited per address (one shared bucket without it).
   * Behind a reverse proxy, pass the client's address as the proxy reports it, not the proxy's.
   */
  remoteAddress?: string | undefined;
}

export interface LoginOptions {
  route: string;
  password: string;
  sessionSecret?: string | Uint8Array | undefined;
  sessionTtlSeconds?: number | undefined;
  /** The one origin a login or logout may be posted from (`'https://stats.example.com'`). */
  publicOrigin?: string | undefined;
}

/** The login's routes and the session check, for `createDashboardHandler`. */
export interface Login {
  /** True when the headers carry a valid session cookie. */
  authorize(headers: HeadersLike): boolean;
  /** `GET/POST {route}/login`, `POST {route}/logout`. */
  handle(
    request: Request,
    path: '/login' | '/logout',
    info: DashboardRequestInfo | undefined,
  ): Promise<Response>;
  /** The 303 to the login page for a request without a session. */
  redirectToLogin(url: URL): Response;
}

export const MAX_LOGIN_BODY_BYTES = 4096;
/** Wrong passwords per minute from one address (IPv6: one /64) before its wrong guesses answer 429. */
export const MAX_FAILURES_PER_MINUTE = 10;
/** Wrong passwords per minute from all addresses together before every login answers 429. */
export const MAX_OVERALL_FAILURES_PER_MINUTE = 60;

const STYLE =
  'body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f7f9;color:#111827;' +
  'font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
  'form{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:24px 28px;width:min(320px,86vw);' +
  'display:grid;gap:10px}h1{margin:0 0 4px;font-size:20px}label{font-weight:600}' +
  'input{font:inherit;padding:8px 10px;border:1px solid #d1d5db;border-radius:6px}' +
  'button{font:inherit;padding:8px 10px;border:0;border-radius:6px;background:#2563eb;color:#fff;cursor:pointer}' +
  '.error{margin:0;padding:8px 10px;border-radius:6px;background:#fef2f2;color:#991b1b}';

/** Nothing but the one stylesheet above: no script, no other origin, no framing. */
const LOGIN_CSP = [
  "default-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "script-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Not `no-referrer`: under it Chromium sends `Origin: null` with a form POST, which the origin
  // check must refuse. `same-origin` sends the real origin to us and nothing to anyone else.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(action: string, message: string | undefined): string {
  const alert = message ? `<p class="error" role="alert" id="login-error">${escapeHtml(message)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Skopos dashboard</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<form method="post" action="${escapeHtml(action)}">
<h1>Skopos dashboard</h1>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
${alert}
<button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...BASE_HEADERS, ...headers },
  });
}

/** The request's body as a form, or `null` once it exceeds `limit` bytes (read no further). */
async function readForm(request: Request, limit: number): Promise<URLSearchParams | null> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return null;
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return new URLSearchParams(new TextDecoder().decode(Buffer.concat(chunks)));
}

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
function crossOrigin(request: Request, url: URL, publicOrigin: string | undefined): boolean {
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
function overHttps(request: Request, url: URL): boolean {
  return (
    url.protocol === 'https:' ||
    (request.headers.get('origin')?.startsWith('https://') ?? false) ||
    forwarded(request, 'x-forwarded-proto')?.toLowerCase() === 'https'
  );
}

/** `'https://Stats.Example.com/'` → `'https://stats.example.com'`; `null` for anything but an http(s) origin. */
function normalizeOrigin(value: string): string | null {
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

/**
 * The password login: `GET {route}/login` (the form), `POST {route}/login` (sets the session
 * cookie), `POST {route}/logout` (clears it), and `authorize(headers)` for everything the session
 * unlocks (the page, and the read routes when the server asks).
 */
export function createLogin(options: LoginOptions): Login {
  const { route } = options;
  let publicOrigin: string | undefined;
  if (options.publicOrigin !== undefined) {
    const normalized = normalizeOrigin(options.publicOrigin);
    if (normalized === null) {
      throw new SkoposError(
        'invalid_options',
        `[skopos/dashboard] publicOrigin must be an origin such as "https://stats.example.com" (scheme, host, optional port; no path), got "${options.publicOrigin}"`,
      );
    }
    publicOrigin = normalized;
  }
  const tokens = createSessionTokens(
    options.sessionSecret,
    options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
  );
  const passwordMatches = createPasswordCheck(options.password);
  const limit = createFailureLimit(MAX_FAILURES_PER_MINUTE, 60_000, {
    overallMax: MAX_OVERALL_FAILURES_PER_MINUTE,
  });

  const authorize = (headers: HeadersLike): boolean =>
    sessionCookieValues(headers).some((token) => tokens.verify(token));

  /** `__Host-skopos_session` over https (Secure, Path=/, no Domain), `skopos_session` over http. */
  const cookie = (request: Request, url: URL, value: string, maxAge: number): string =>
    overHttps(request, url)
      ? `${SECURE_SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}; Secure`
      : `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}`;

  /** Logout clears the cookie the login set; over https also an `http` one left from before. */
  const clearCookies = (request: Request, url: URL): Headers => {
    const headers = new Headers({ location: `${route}/login`, ...BASE_HEADERS });
    headers.append('set-cookie', cookie(request, url, '', 0));
    if (overHttps(request, url)) {
      headers.append(
        'set-cookie',
        `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure`,
      );
    }
    return headers;
  };

  const tooMany = (url: URL, wait: number): Response =>
    form(url, 429, `Too many wrong passwords: try again in ${wait} s.`, { 'retry-after': String(wait) });

  const form = (url: URL, status: number, message?: string, headers: Record<string, string> = {}): Response =>
    new Response(loginPage(`${route}/login${url.search}`, message), {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': LOGIN_CSP,
        'x-frame-options': 'DENY',
        ...BASE_HEADERS,
        ...headers,
      },
    });

  const redirect = (location: string, headers: Record<string, string> = {}): Response =>
    new Response(null, { status: 303, headers: { location, ...BASE_HEADERS, ...headers } });

  async function logIn(
    request: Request,
    url: URL,
    info: DashboardRequestInfo | undefined,
  ): Promise<Response> {
    const type = request.headers.get('content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
      return text(415, 'Send the login form (application/x-www-form-urlencoded).');
    }
    const fields = await readForm(request, MAX_LOGIN_BODY_BYTES);
    if (fields === null) {
      return text(413, `The login form is limited to ${MAX_LOGIN_BODY_BYTES} bytes.`, {
        connection: 'close',
      });
    }
    // From here to `limit.fail` nothing awaits: concurrent guesses cannot all pass the check first.
    // Past the overall cap every attempt waits: that cap is what bounds guessing from many addresses.
    const overall = limit.overallRetryAfter();
    if (overall > 0) return tooMany(url, overall);
    const address = info?.remoteAddress;
    if (!passwordMatches(fields.get('password') ?? '')) {
      // Counted even when the address is held back already: its guesses still use up the overall cap.
      const held = limit.retryAfter(address) > 0;
      limit.fail(address);
      return held ? tooMany(url, limit.retryAfter(address)) : form(url, 401, 'Wrong password.');
    }
    // The right password passes an address's lock, so a shared address (a proxy, a NAT) that someone
    // else filled with wrong guesses does not lock the admin out.
    const { token, maxAge } = tokens.issue();
    return redirect(`${route}/${url.search}`, { 'set-cookie': cookie(request, url, token, maxAge) });
  }

  return {
    authorize,
    redirectToLogin: (url) => redirect(`${route}/login${url.search}`),
    async handle(request, path, info) {
      const url = new URL(request.url);
      const method = request.method;
      if (path === '/login' && (method === 'GET' || method === 'HEAD')) {
        // Signed in already: straight to the dashboard (which accepts the session, so no loop).
        if (authorize(request.headers)) return redirect(`${route}/${url.search}`);
        const page = form(url, 200);
        return method === 'HEAD' ? new Response(null, { headers: page.headers }) : page;
      }
      if (method !== 'POST') {
        return text(405, 'Method not allowed', { allow: path === '/login' ? 'GET, HEAD, POST' : 'POST' });
      }
      if (crossOrigin(request, url, publicOrigin)) {
        return text(403, 'A login form from another origin is refused.');
      }
      if (path === '/logout') return new Response(null, { status: 303, headers: clearCookies(request, url) });
      return logIn(request, url, info);
    },
  };
}
