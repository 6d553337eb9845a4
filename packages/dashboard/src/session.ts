import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SkoposError } from '@skopos/core';

/** The session cookie's name over http. Its path is `/`: the read routes live outside the dashboard's route. */
export const SESSION_COOKIE = 'skopos_session';

/**
 * The session cookie's name over https: the `__Host-` prefix makes the browser refuse it unless it
 * is `Secure`, has `Path=/` and no `Domain`, so neither a sibling subdomain nor a page over http can
 * set or shadow it.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** Twelve hours. */
export const DEFAULT_SESSION_TTL_SECONDS = 12 * 60 * 60;

/** Request headers as Fetch (`Headers`) or Node (`req.headers`, `IncomingHttpHeaders`) carry them. */
export type HeadersLike = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

const MIN_SECRET_BYTES = 16;

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Every `Cookie` header value, from either kind of headers. */
function cookieHeaders(headers: HeadersLike): string[] {
  if (headers instanceof Headers) {
    const value = headers.get('cookie');
    return value === null ? [] : [value];
  }
  const found: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'cookie' || value === undefined) continue;
    if (typeof value === 'string') found.push(value);
    else found.push(...value);
  }
  return found;
}

/** The values of every `skopos_session` and `__Host-skopos_session` cookie sent (a browser may send several with one name). */
export function sessionCookieValues(headers: HeadersLike): string[] {
  const values: string[] = [];
  for (const header of cookieHeaders(headers)) {
    // `;` between cookies; `,` when a Fetch `Headers` joined several Cookie headers.
    for (const pair of header.split(/[;,]/)) {
      const eq = pair.indexOf('=');
      if (eq === -1) continue;
      const name = pair.slice(0, eq).trim();
      if (name === SESSION_COOKIE || name === SECURE_SESSION_COOKIE) values.push(pair.slice(eq + 1).trim());
    }
  }
  return values;
}

/** Signs and checks session tokens `<expiry>.<nonce>.<hmac>` (expiry in Unix seconds). */
export interface SessionTokens {
  /** A new token valid for the configured time from `now` (ms). */
  issue(now?: number): { token: string; maxAge: number };
  /** True for a token this secret signed that has not expired at `now` (ms) nor been revoked. */
  verify(token: string, now?: number): boolean;
  /** Ends a valid token before its expiry (a logout), in this process; others are ignored. */
  revoke(token: string, now?: number): void;
}

/**
 * Logged-out tokens kept until they expire: enough for every logout of a busy dashboard; past it the
 * ones closest to expiring are forgotten first (a copied cookie of those may then work again).
 */
const MAX_REVOKED = 10_000;

/**
 * The session signer: HMAC-SHA256 over `<expiry>.<nonce>`, checked in constant time. Tokens carry no
 * user data: a valid one only says "someone typed the password before `expiry`".
 */
export function createSessionTokens(
  secret: string | Uint8Array | undefined,
  ttlSeconds: number,
  /** Mixed into the signing key (the dashboard's password): changing it ends every session. */
  binding = '',
): SessionTokens {
  let key: Buffer;
  if (secret === undefined) key = randomBytes(32);
  else if (typeof secret === 'string') key = Buffer.from(secret, 'utf8');
  else key = Buffer.from(secret);
  if (key.byteLength < MIN_SECRET_BYTES) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/dashboard] sessionSecret must be at least ${MIN_SECRET_BYTES} bytes long, got ${key.byteLength}; leave it out for 32 random bytes per process`,
    );
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new SkoposError(
      'invalid_options',
      `[skopos/dashboard] sessionTtlSeconds must be a positive whole number of seconds, got ${ttlSeconds}`,
    );
  }
  if (binding !== '') key = createHmac('sha256', key).update('session\u0000').update(binding).digest();
  const mac = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  /** Revoked nonces → expiry (ms), in revocation order (close to expiry order: one lifetime for all). */
  const revoked = new Map<string, number>();
  const parse = (token: string, now: number): { expiry: number; nonce: string } | null => {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const expected = mac(`${match[1]}.${match[2]}`);
    const given = Buffer.from(match[3] as string, 'base64url');
    if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) return null;
    const expiry = Number(match[1]) * 1000;
    return expiry > now ? { expiry, nonce: match[2] as string } : null;
  };
  const forgetExpired = (now: number): void => {
    for (const [nonce, expiry] of revoked) {
      if (expiry > now && revoked.size <= MAX_REVOKED) return;
      revoked.delete(nonce);
    }
  };
  return {
    issue(now = Date.now()) {
      const payload = `${Math.floor(now / 1000) + ttlSeconds}.${base64url(randomBytes(18))}`;
      return { token: `${payload}.${base64url(mac(payload))}`, maxAge: ttlSeconds };
    },
    verify(token, now = Date.now()) {
      const valid = parse(token, now);
      return valid !== null && !revoked.has(valid.nonce);
    },
    revoke(token, now = Date.now()) {
      const valid = parse(token, now);
      if (valid === null) return;
      revoked.set(valid.nonce, valid.expiry);
      forgetExpired(now);
    },
  };
}

/**
 * A password check that takes the same time wherever the guess differs and whatever its length:
 * both sides are hashed with SHA-256, then compared with `timingSafeEqual`.
 */
export function createPasswordCheck(password: string): (guess: string) => boolean {
  const expected = createHash('sha256').update(password).digest();
  return (guess) => timingSafeEqual(createHash('sha256').update(guess).digest(), expected);
}
