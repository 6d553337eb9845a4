import { createHash } from 'node:crypto';
import { createFailureLimit } from './failure-limit.ts';
import {
  createPasswordCheck,
  createSessionTokens,
  DEFAULT_SESSION_TTL_SECONDS,
  type HeadersLike,
  SESSION_COOKIE,
  sessionCookieValues,
} from './session.ts';

/** What the handler knows about the connection (as `@skopos/transport-http/node` passes it). */
export interface DashboardRequestInfo {
  /** The peer's address; failed logins are limited per address (one shared bucket without it). */
  remoteAddress?: string | undefined;
}

export interface LoginOptions {
  route: string;
  password: string;
  sessionSecret?: string | Uint8Array | undefined;
  sessionTtlSeconds?: number | undefined;
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
export const MAX_FAILURES_PER_MINUTE = 10;

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

/**
 * A browser sends `Origin` with every form POST: one from another page is a cross-site request. The
 * same host over https is the same page behind a proxy that terminates TLS (the handler sees http).
 */
function crossOrigin(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin === null || origin === url.origin) return false;
  return !(url.protocol === 'http:' && origin === `https://${url.host}`);
}

/** Over https (seen by the handler, or by the browser that posted the form): the cookie is `Secure`. */
function overHttps(request: Request, url: URL): boolean {
  return url.protocol === 'https:' || (request.headers.get('origin')?.startsWith('https://') ?? false);
}

/**
 * The password login: `GET {route}/login` (the form), `POST {route}/login` (sets the session
 * cookie), `POST {route}/logout` (clears it), and `authorize(headers)` for everything the session
 * unlocks (the page, and the read routes when the server asks).
 */
export function createLogin(options: LoginOptions): Login {
  const { route } = options;
  const tokens = createSessionTokens(
    options.sessionSecret,
    options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
  );
  const passwordMatches = createPasswordCheck(options.password);
  const limit = createFailureLimit(MAX_FAILURES_PER_MINUTE, 60_000);

  const authorize = (headers: HeadersLike): boolean =>
    sessionCookieValues(headers).some((token) => tokens.verify(token));

  const cookie = (request: Request, url: URL, value: string, maxAge: number): string =>
    `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAge}${
      overHttps(request, url) ? '; Secure' : ''
    }`;

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
    const address = info?.remoteAddress;
    const wait = limit.retryAfter(address);
    if (wait > 0) {
      return form(url, 429, `Too many wrong passwords: try again in ${wait} s.`, {
        'retry-after': String(wait),
      });
    }
    if (!passwordMatches(fields.get('password') ?? '')) {
      limit.fail(address);
      return form(url, 401, 'Wrong password.');
    }
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
      if (crossOrigin(request, url)) return text(403, 'A login form from another origin is refused.');
      if (path === '/logout') {
        return redirect(`${route}/login`, { 'set-cookie': cookie(request, url, '', 0) });
      }
      return logIn(request, url, info);
    },
  };
}
