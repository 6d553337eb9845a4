import { createHash } from 'node:crypto';

// The login form and the plain answers of the login routes: one inline stylesheet, pinned by its
// hash in the page's CSP, and the headers every answer carries.

const STYLE =
  'body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f6f7f9;color:#111827;' +
  'font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
  'form{background:#fff;border:1px solid #e5e7eb;border-radius:10px;padding:24px 28px;width:min(320px,86vw);' +
  'display:grid;gap:10px}h1{margin:0 0 4px;font-size:20px}label{font-weight:600}' +
  'input{font:inherit;padding:8px 10px;border:1px solid #d1d5db;border-radius:6px}' +
  'button{font:inherit;padding:8px 10px;border:0;border-radius:6px;background:#2563eb;color:#fff;cursor:pointer}' +
  '.error{margin:0;padding:8px 10px;border-radius:6px;background:#fef2f2;color:#991b1b}';

/** Nothing but the one stylesheet above: no script, no other origin, no framing. */
export const LOGIN_CSP = [
  "default-src 'self'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "script-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  // Not `no-referrer`: under it Chromium sends `Origin: null` with a form POST, which the origin
  // check must refuse. `same-origin` sends the real origin to us and nothing to anyone else.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function loginPage(action: string, message: string | undefined): string {
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

export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...BASE_HEADERS, ...headers },
  });
}
