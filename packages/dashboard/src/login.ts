import { SkoposError } from '@skopos/core';
import { createFailureLimit } from './failure-limit.ts';
import { BASE_HEADERS, LOGIN_CSP, loginPage, text } from './login-page.ts';
import { crossOrigin, normalizeOrigin, overHttps } from './request-origin.ts';
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
/**
 * Wrong passwords per minute an address held back may still have checked (the right one gets in:
 * someone sharing the admin's address must not lock the admin out); past them its logins answer 429
 * without a check. So one address spends at most 20 of the overall 60 and cannot fill it alone.
 */
export const MAX_HELD_FAILURES_PER_MINUTE = 10;

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
  // Bound to the password: a new password ends the sessions of the old one (with sessionSecret set,
  // they would otherwise outlive it).
  const tokens = createSessionTokens(
    options.sessionSecret,
    options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
    options.password,
  );
  const passwordMatches = createPasswordCheck(options.password);
  const limit = createFailureLimit(MAX_FAILURES_PER_MINUTE, 60_000, {
    overallMax: MAX_OVERALL_FAILURES_PER_MINUTE,
  });
  // Guesses of held-back addresses, per address (see logIn).
  const heldGuesses = createFailureLimit(MAX_HELD_FAILURES_PER_MINUTE, 60_000);

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
    let fields: URLSearchParams | null;
    try {
      fields = await readForm(request, MAX_LOGIN_BODY_BYTES);
    } catch {
      // The client went before its body arrived (a closed connection): nobody reads this answer,
      // and a throw would make the server log a stack trace per such request.
      return text(400, 'The login form did not arrive whole.', { connection: 'close' });
    }
    if (fields === null) {
      return text(413, `The login form is limited to ${MAX_LOGIN_BODY_BYTES} bytes.`, {
        connection: 'close',
      });
    }
    // From here to a failure counted nothing awaits: concurrent guesses cannot all pass the check first.
    // Past the overall cap every attempt waits: that cap is what bounds guessing from many addresses.
    const overall = limit.overallRetryAfter();
    if (overall > 0) return tooMany(url, overall);
    const address = info?.remoteAddress;
    const password = fields.get('password') ?? '';
    const hold = limit.retryAfter(address);
    if (hold > 0) {
      // Held back: a few more guesses a minute are checked (the right password still passes, see
      // below) and counted in the overall cap as before; past them nothing is checked or counted, so
      // one address guessing on cannot fill the overall cap and keep every admin out.
      const heldWait = heldGuesses.retryAfter(address);
      if (heldWait > 0) return tooMany(url, Math.max(hold, heldWait));
      if (!passwordMatches(password)) {
        heldGuesses.fail(address);
        limit.fail(address);
        return tooMany(url, limit.retryAfter(address));
      }
    } else if (!passwordMatches(password)) {
      limit.fail(address);
      return form(url, 401, 'Wrong password.');
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
      if (path === '/logout') {
        // The cookie is cleared, and the token itself ended: a copy of it no longer reads.
        for (const token of sessionCookieValues(request.headers)) tokens.revoke(token);
        return new Response(null, { status: 303, headers: clearCookies(request, url) });
      }
      return logIn(request, url, info);
    },
  };
}
