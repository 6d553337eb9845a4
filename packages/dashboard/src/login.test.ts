import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressBucket, createFailureLimit } from './failure-limit.ts';
import { createDashboardHandler } from './handler.ts';
import { createPasswordCheck, createSessionTokens, sessionCookieValues } from './session.ts';
import { assetPaths, injectedConfig, requireBuiltApp } from './test-support.ts';

const ORIGIN = 'http://localhost:5173';
const ROUTE = '/_tracker/dashboard';
const PASSWORD = 'correct horse battery staple 42';
const SECRET = 'a-session-secret-of-at-least-32-bytes';
const FORM = 'application/x-www-form-urlencoded';

type Dashboard = ReturnType<typeof createDashboardHandler>;
let dashboard: Dashboard;

const make = (extra: Record<string, unknown> = {}): Dashboard =>
  createDashboardHandler({
    readEndpoint: '/_tracker',
    pingEndpoint: '/_tracker/ping',
    password: PASSWORD,
    sessionSecret: SECRET,
    ...extra,
  });

async function get(path: string, headers: Record<string, string> = {}, on = dashboard): Promise<Response> {
  const response = await on(new Request(`${ORIGIN}${path}`, { headers }));
  if (!response) throw new Error(`no answer for ${path}`);
  return response;
}

async function post(
  path: string,
  body: BodyInit | null,
  options: { headers?: Record<string, string>; address?: string; on?: Dashboard; base?: string } = {},
): Promise<Response> {
  const init: RequestInit & { duplex?: 'half' } = {
    method: 'POST',
    headers: { 'content-type': FORM, origin: options.base ?? ORIGIN, ...options.headers },
    body,
  };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const info = options.address === undefined ? undefined : { remoteAddress: options.address };
  const response = await (options.on ?? dashboard)(
    new Request(`${options.base ?? ORIGIN}${path}`, init),
    info,
  );
  if (!response) throw new Error(`no answer for ${path}`);
  return response;
}

const login = (password: string, options: Parameters<typeof post>[2] = {}): Promise<Response> =>
  post(`${ROUTE}/login`, new URLSearchParams({ password }).toString(), options);

/** `skopos_session=<value>` (or `__Host-skopos_session=`) of a Set-Cookie, for the next request's Cookie header. */
function sessionOf(response: Response): string {
  const cookie = response.headers.getSetCookie()[0] ?? '';
  return cookie.split(';')[0] as string;
}

beforeAll(() => {
  requireBuiltApp();
  dashboard = make();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('session tokens', () => {
  const tokens = createSessionTokens(SECRET, 3600);
  const now = Date.UTC(2025, 0, 1);

  it('accepts a token it issued until it expires, then refuses it', () => {
    const { token, maxAge } = tokens.issue(now);
    expect(maxAge).toBe(3600);
    expect(token).toMatch(/^\d+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(tokens.verify(token, now)).toBe(true);
    expect(tokens.verify(token, now + 3599_000)).toBe(true);
    expect(tokens.verify(token, now + 3600_000)).toBe(false);
    expect(tokens.verify(token, now + 86_400_000)).toBe(false);
  });

  it('refuses a tampered token', () => {
    const { token } = tokens.issue(now);
    const [expiry, nonce, mac] = token.split('.') as [string, string, string];
    const flip = (s: string): string => (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    for (const forged of [
      `${Number(expiry) + 86_400}.${nonce}.${mac}`, // a later expiry
      `${expiry}.${flip(nonce)}.${mac}`,
      `${expiry}.${nonce}.${flip(mac)}`,
      `${expiry}.${nonce}.${mac.slice(0, -1)}`,
      `${expiry}.${nonce}`,
      `${expiry}..${mac}`,
      `${expiry}.${nonce}.${mac}.x`,
      ` ${token}`,
      '',
    ]) {
      expect(tokens.verify(forged, now), forged).toBe(false);
    }
  });

  it('refuses a token signed with another secret', () => {
    const { token } = createSessionTokens('another-secret-that-is-long-enough', 3600).issue(now);
    expect(tokens.verify(token, now)).toBe(false);
    // The default secret is random per process (per handler): two of them never agree.
    const a = createSessionTokens(undefined, 3600);
    const b = createSessionTokens(undefined, 3600);
    expect(b.verify(a.issue(now).token, now)).toBe(false);
    expect(a.verify(a.issue(now).token, now)).toBe(true);
  });

  it('refuses a revoked token until its expiry, and ignores a revoke of a bad one', () => {
    const revoking = createSessionTokens(SECRET, 3600);
    const { token } = revoking.issue(now);
    const other = revoking.issue(now).token;
    revoking.revoke('not-a-token', now);
    revoking.revoke(token, now);
    expect(revoking.verify(token, now)).toBe(false);
    expect(revoking.verify(other, now)).toBe(true);
  });

  it('takes a Uint8Array secret like the same bytes as a string', () => {
    const bytes = createSessionTokens(new TextEncoder().encode(SECRET), 3600);
    expect(tokens.verify(bytes.issue(now).token, now)).toBe(true);
  });

  it('finds the session cookies among others, in Fetch and Node headers', () => {
    expect(sessionCookieValues(new Headers({ cookie: 'a=1; skopos_session=x.y.z; b=2' }))).toEqual(['x.y.z']);
    expect(sessionCookieValues({ Cookie: ['skopos_session=1', 'skopos_session=2'] })).toEqual(['1', '2']);
    expect(sessionCookieValues({ cookie: 'skopos_sessionx=1; xskopos_session=2' })).toEqual([]);
    expect(sessionCookieValues({ cookie: undefined })).toEqual([]);
    expect(
      sessionCookieValues({ cookie: '__Host-skopos_session=h; skopos_session=s; __Secure-skopos_session=x' }),
    ).toEqual(['h', 's']);
  });

  it('compares passwords whatever their length', () => {
    const matches = createPasswordCheck(PASSWORD);
    expect(matches(PASSWORD)).toBe(true);
    expect(matches(`${PASSWORD} `)).toBe(false);
    expect(matches('')).toBe(false);
    expect(matches('x'.repeat(10_000))).toBe(false);
  });
});

describe('failed-login limit', () => {
  it('allows 10 failures in any minute per address', () => {
    const limit = createFailureLimit(10, 60_000);
    for (let i = 0; i < 10; i++) {
      expect(limit.retryAfter('198.51.100.1', 1000 + i)).toBe(0);
      limit.fail('198.51.100.1', 1000 + i);
    }
    expect(limit.retryAfter('198.51.100.1', 2000)).toBe(59);
    expect(limit.retryAfter('198.51.100.2', 2000)).toBe(0);
    expect(limit.retryAfter('198.51.100.1', 61_000)).toBe(0);
  });

  it('caps the failures of all addresses together', () => {
    const limit = createFailureLimit(10, 60_000, { overallMax: 60 });
    for (let i = 0; i < 60; i++) {
      expect(limit.overallRetryAfter(1000 + i)).toBe(0);
      limit.fail(`2001:db8:0:${i.toString(16)}::1`, 1000 + i);
    }
    expect(limit.overallRetryAfter(2000)).toBe(59);
    // Every address on its own is far below its limit.
    expect(limit.retryAfter('2001:db8:0:0::1', 2000)).toBe(0);
    expect(limit.overallRetryAfter(60_999)).toBe(1);
    expect(limit.overallRetryAfter(61_000)).toBe(0);
  });

  it('never forgets a locked address before its window ends, however many others fail', () => {
    const limit = createFailureLimit(10, 60_000);
    for (let i = 0; i < 10; i++) limit.fail('198.51.100.1', 1000);
    expect(limit.retryAfter('198.51.100.1', 1000)).toBe(60);
    for (let i = 0; i < 10_001; i++) limit.fail(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 2000);
    expect(limit.retryAfter('198.51.100.1', 2000)).toBe(59);
    // The table is full of live buckets: a new address gets none (the overall cap holds it) …
    for (let i = 0; i < 20; i++) limit.fail('203.0.113.1', 3000);
    expect(limit.retryAfter('203.0.113.1', 3000)).toBe(0);
    // … until their windows pass and their buckets may go.
    expect(limit.retryAfter('198.51.100.1', 61_000)).toBe(0);
    for (let i = 0; i < 10; i++) limit.fail('203.0.113.1', 62_001);
    expect(limit.retryAfter('203.0.113.1', 62_001)).toBe(60);
  });

  it('bounds its table by refusing new buckets, not by dropping live ones', () => {
    const limit = createFailureLimit(2, 60_000, { maxTracked: 3 });
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) {
      limit.fail(address, 0);
      limit.fail(address, 0);
    }
    limit.fail('192.0.2.4', 10);
    limit.fail('192.0.2.4', 10);
    expect(limit.retryAfter('192.0.2.4', 10)).toBe(0);
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3'])
      expect(limit.retryAfter(address, 10)).toBe(60);
    limit.fail('192.0.2.4', 60_000);
    limit.fail('192.0.2.4', 60_000);
    expect(limit.retryAfter('192.0.2.4', 60_000)).toBe(60);
  });

  it('buckets IPv4-mapped addresses as IPv4, IPv6 per /64, and unknown addresses together', () => {
    expect(addressBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(addressBucket('2001:db8:1:2::1')).toBe(addressBucket('2001:0db8:0001:0002:ffff:1:2:3'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
    expect(addressBucket(undefined)).toBe(addressBucket(''));
  });
});

describe('createDashboardHandler with a password', () => {
  it('sends a visitor without a session to the login page, keeping the query', async () => {
    expect(dashboard.login).toBe(true);
    for (const path of [ROUTE, `${ROUTE}/`, `${ROUTE}/index.html`]) {
      const response = await get(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location')).toBe(`${ROUTE}/login`);
    }
    expect((await get(`${ROUTE}/?site=demo`)).headers.get('location')).toBe(`${ROUTE}/login?site=demo`);
    expect((await get(`${ROUTE}/`, { cookie: 'skopos_session=1.2.3' })).status).toBe(303);
  });

  it('serves a self-contained login form under a strict CSP', async () => {
    const response = await get(`${ROUTE}/login?site=demo`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Under `no-referrer` a browser would post the form with `Origin: null` (refused as cross-origin).
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain(`<form method="post" action="${ROUTE}/login?site=demo">`);
    expect(html).toContain('name="password" type="password"');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('id="login-error"');
  });

  it('sets a signed HttpOnly SameSite=Strict cookie for the right password, which opens the page', async () => {
    const response = await login(PASSWORD, { address: '192.0.2.10' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ROUTE}/`);
    const [cookie] = response.headers.getSetCookie();
    expect(cookie).toMatch(
      /^skopos_session=\d+\.[\w-]+\.[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200$/,
    );
    const session = sessionOf(response);
    expect(dashboard.authorize(new Headers({ cookie: `theme=dark; ${session}` }))).toBe(true);
    expect(dashboard.authorize({ cookie: session })).toBe(true);

    const page = await get(`${ROUTE}/`, { cookie: session });
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('same-origin'); // for its sign-out form
    expect(injectedConfig(await page.text())).toEqual({
      readEndpoint: '/_tracker',
      pingEndpoint: '/_tracker/ping',
      login: true,
    });
    // Signed in already: the login page sends back to the dashboard.
    const again = await get(`${ROUTE}/login`, { cookie: session });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${ROUTE}/`);
  });

  it('names the cookie __Host-skopos_session over https, which authorize accepts, and keeps the query', async () => {
    const response = await login(PASSWORD, { base: 'https://stats.example' });
    const [secure] = response.headers.getSetCookie();
    expect(secure).toMatch(
      /^__Host-skopos_session=\d+\.[\w-]+\.[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=43200; Secure$/,
    );
    expect(secure).not.toContain('Domain');
    const session = sessionOf(response);
    expect(dashboard.authorize(new Headers({ cookie: `theme=dark; ${session}` }))).toBe(true);
    expect(dashboard.authorize({ cookie: session })).toBe(true);
    expect(
      (await dashboard(new Request(`https://stats.example${ROUTE}/`, { headers: { cookie: session } })))
        ?.status,
    ).toBe(200);
    // Logout over https clears it, and an http cookie left from before.
    const out = await post(`${ROUTE}/logout`, '', { base: 'https://stats.example' });
    expect(out.headers.getSetCookie()).toEqual([
      '__Host-skopos_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
      'skopos_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure',
    ]);
    // Behind a proxy that terminates TLS the handler sees http, the browser's Origin says https.
    const proxied = await login(PASSWORD, { headers: { origin: 'https://localhost:5173' } });
    expect(proxied.status).toBe(303);
    expect(proxied.headers.getSetCookie()[0]).toMatch(/^__Host-skopos_session=.*; Secure$/);
    const plain = (await login(PASSWORD)).headers.getSetCookie()[0];
    expect(plain).toMatch(/^skopos_session=/);
    expect(plain).not.toContain('Secure');
    const withQuery = await post(`${ROUTE}/login?site=demo`, `password=${encodeURIComponent(PASSWORD)}`);
    expect(withQuery.headers.get('location')).toBe(`${ROUTE}/?site=demo`);
  });

  it('answers a wrong password with 401, the form and a message', async () => {
    const response = await login('wrong', { address: '192.0.2.11' });
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie()).toEqual([]);
    const html = await response.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('id="login-error">Wrong password.</p>');
    expect((await post(`${ROUTE}/login`, 'other=1', { address: '192.0.2.11' })).status).toBe(401);
  });

  it('refuses sessions from another secret, expired sessions, and after a restart with the default secret', async () => {
    const other = make({ sessionSecret: 'another-secret-that-is-long-enough' });
    const session = sessionOf(await login(PASSWORD));
    expect(other.authorize({ cookie: session })).toBe(false);
    expect((await get(`${ROUTE}/`, { cookie: session }, other)).status).toBe(303);

    const random1 = make({ sessionSecret: undefined });
    const random2 = make({ sessionSecret: undefined });
    const randomSession = sessionOf(await login(PASSWORD, { on: random1 }));
    expect(random1.authorize({ cookie: randomSession })).toBe(true);
    expect(random2.authorize({ cookie: randomSession })).toBe(false);

    vi.useFakeTimers({ toFake: ['Date'] });
    const short = make({ sessionTtlSeconds: 60 });
    const shortSession = sessionOf(await login(PASSWORD, { on: short }));
    expect(short.authorize({ cookie: shortSession })).toBe(true);
    vi.setSystemTime(Date.now() + 61_000);
    expect(short.authorize({ cookie: shortSession })).toBe(false);
    expect((await get(`${ROUTE}/`, { cookie: shortSession }, short)).status).toBe(303);
  });

  it('allows 10 failures per minute per address, then answers 429 with Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const limited = make();
    for (let i = 0; i < 10; i++) {
      expect((await login('wrong', { on: limited, address: '203.0.113.7' })).status).toBe(401);
    }
    const refused = await login('wrong', { on: limited, address: '203.0.113.7' });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await refused.text()).toContain('Too many wrong passwords');
    // Another address is not held back; the right password is not counted as a failure.
    expect((await login(PASSWORD, { on: limited, address: '203.0.113.8' })).status).toBe(303);
    expect((await login('wrong', { on: limited, address: '203.0.113.8' })).status).toBe(401);
    // A minute after its last wrong guess the address may guess again.
    vi.setSystemTime(Date.now() + 60_001);
    expect((await login('wrong', { on: limited, address: '203.0.113.7' })).status).toBe(401);
  });

  it('lets the admin in with the right password after 10 wrong ones from the same address', async () => {
    const limited = make();
    for (let i = 0; i < 10; i++) {
      expect((await login('wrong', { on: limited, address: '127.0.0.1' })).status).toBe(401);
    }
    expect((await login('wrong', { on: limited, address: '127.0.0.1' })).status).toBe(429);
    const admin = await login(PASSWORD, { on: limited, address: '127.0.0.1' });
    expect(admin.status).toBe(303);
    expect(limited.authorize({ cookie: sessionOf(admin) })).toBe(true);
  });

  it('answers every login 429 once 60 wrong passwords arrived in a minute from any addresses', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const limited = make();
    // 61 /64s of one /48: each address is far below its own limit.
    for (let i = 0; i < 60; i++) {
      const response = await login(`guess ${i}`, { on: limited, address: `2001:db8:0:${i.toString(16)}::1` });
      expect(response.status, String(i)).toBe(401);
    }
    const refused = await login('guess 60', { on: limited, address: '2001:db8:0:3c::1' });
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    // Past the cap not even the right password is checked: nothing tells a guess right or wrong.
    expect((await login(PASSWORD, { on: limited, address: '192.0.2.200' })).status).toBe(429);
    vi.setSystemTime(Date.now() + 60_001);
    expect((await login('guess 61', { on: limited, address: '2001:db8:0:3d::1' })).status).toBe(401);
    expect((await login(PASSWORD, { on: limited, address: '192.0.2.200' })).status).toBe(303);
  });

  it('keeps a locked address locked after 10 001 other addresses failed once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const limited = make();
    for (let i = 0; i < 10; i++) await login('wrong', { on: limited, address: '198.51.100.1' });
    expect((await login('wrong', { on: limited, address: '198.51.100.1' })).status).toBe(429);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 10_001; i++) {
      const address = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const { status } = await login('w', { on: limited, address });
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    // The overall cap (60 a minute, 11 of them used above) answers the rest without a guess.
    expect(statuses.get(401)).toBe(49);
    expect(statuses.get(429)).toBe(10_001 - 49);
    expect((await login('wrong', { on: limited, address: '198.51.100.1' })).status).toBe(429);
  });

  it('one address guessing on does not lock everyone out: it spends at most 20 of the overall 60', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const limited = make();
    const attacker = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++)
      statuses.push((await login(`guess ${i}`, { on: limited, address: attacker })).status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(90);
    // Another address: the admin gets in, and a typo is a plain 401, not a lockout.
    expect((await login('typo', { on: limited, address: '198.51.100.20' })).status).toBe(401);
    expect((await login(PASSWORD, { on: limited, address: '198.51.100.20' })).status).toBe(303);
    // The held-back address had 10 more guesses checked in the minute; now none is, the right password neither.
    expect((await login(PASSWORD, { on: limited, address: attacker })).status).toBe(429);
    // It spent 20 of the overall 60 (the typo above one more): 39 other guesses are still checked.
    for (let i = 0; i < 39; i++) {
      expect((await login('w', { on: limited, address: `192.0.2.${i + 1}` })).status, String(i)).toBe(401);
    }
    expect((await login('w', { on: limited, address: '192.0.2.100' })).status).toBe(429);
    vi.setSystemTime(Date.now() + 60_001);
    expect((await login(PASSWORD, { on: limited, address: attacker })).status).toBe(303);
  });

  it('holds to 10 failures when the guesses arrive all at once', async () => {
    const limited = make();
    const statuses = await Promise.all(
      Array.from({ length: 25 }, () => login('wrong', { on: limited, address: '203.0.113.9' })),
    );
    expect(statuses.filter((r) => r.status === 401)).toHaveLength(10);
    expect(statuses.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it('puts every request without an address in one shared bucket', async () => {
    const limited = make();
    for (let i = 0; i < 10; i++) expect((await login('wrong', { on: limited })).status).toBe(401);
    expect((await login('wrong', { on: limited })).status).toBe(429);
    expect((await login('wrong', { on: limited, address: '192.0.2.99' })).status).toBe(401);
    expect((await login(PASSWORD, { on: limited })).status).toBe(303);
  });

  it('answers 413 to a login body over 4 KB, declared or streamed', async () => {
    const big = `password=${'x'.repeat(5000)}`;
    expect((await post(`${ROUTE}/login`, big)).status).toBe(413);
    expect(
      (await post(`${ROUTE}/login`, 'password=x', { headers: { 'content-length': '5000' } })).status,
    ).toBe(413);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
      },
    });
    expect((await post(`${ROUTE}/login`, endless)).status).toBe(413);
    expect(pulled).toBeLessThan(10);
    // Exactly 4 KB is still read.
    const edge = `password=${'x'.repeat(4096 - 'password='.length)}`;
    expect((await post(`${ROUTE}/login`, edge, { address: '192.0.2.50' })).status).toBe(401);
  });

  it('refuses a login or logout posted from another origin, and non-form bodies', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      'http://localhost:5174',
      'https://localhost:5174',
    ]) {
      const response = await login(PASSWORD, { headers: { origin } });
      expect(response.status, origin).toBe(403);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect((await post(`${ROUTE}/logout`, '', { headers: { origin } })).status).toBe(403);
    }
    // No Origin at all (an old client, curl): allowed.
    const request = new Request(`${ORIGIN}${ROUTE}/login`, {
      method: 'POST',
      headers: { 'content-type': FORM },
      body: `password=${encodeURIComponent(PASSWORD)}`,
    });
    expect((await dashboard(request))?.status).toBe(303);
    const json = await post(`${ROUTE}/login`, JSON.stringify({ password: PASSWORD }), {
      headers: { 'content-type': 'application/json' },
    });
    expect(json.status).toBe(415);
    expect((await dashboard(new Request(`${ORIGIN}${ROUTE}/login`, { method: 'PUT' })))?.status).toBe(405);
  });

  it('accepts a login through a TLS proxy that rewrites Host, by X-Forwarded-Host and -Proto', async () => {
    // nginx's default `proxy_set_header Host $proxy_host`: the handler sees the upstream's address.
    const upstream = 'http://127.0.0.1:8787';
    const viaProxy = (headers: Record<string, string>): Promise<Response> =>
      dashboard(
        new Request(`${upstream}${ROUTE}/login`, {
          method: 'POST',
          headers: { 'content-type': FORM, origin: 'https://stats.example.com', ...headers },
          body: `password=${encodeURIComponent(PASSWORD)}`,
        }),
        { remoteAddress: '192.0.2.60' },
      ) as Promise<Response>;
    const response = await viaProxy({
      'x-forwarded-host': 'stats.example.com',
      'x-forwarded-proto': 'https',
    });
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-skopos_session=.*; Secure$/);
    // A list names the client-facing proxy's view first; without -Proto, https is assumed like the Host check.
    expect(
      (
        await viaProxy({
          'x-forwarded-host': 'stats.example.com, 127.0.0.1:8787',
          'x-forwarded-proto': 'https, http',
        })
      ).status,
    ).toBe(303);
    expect((await viaProxy({ 'x-forwarded-host': 'stats.example.com' })).status).toBe(303);
    // Without the headers, or when they name something else, the origin is another one.
    expect((await viaProxy({})).status).toBe(403);
    expect(
      (await viaProxy({ 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' })).status,
    ).toBe(403);
    expect(
      (await viaProxy({ 'x-forwarded-host': 'stats.example.com', 'x-forwarded-proto': 'http' })).status,
    ).toBe(403);
  });

  it('with publicOrigin, accepts a login posted from that origin only', async () => {
    const pinned = make({ publicOrigin: 'https://Stats.Example.com/' });
    const from = (origin: string | undefined, headers: Record<string, string> = {}, base = ORIGIN) =>
      pinned(
        new Request(`${base}${ROUTE}/login`, {
          method: 'POST',
          headers: { 'content-type': FORM, ...(origin ? { origin } : {}), ...headers },
          body: `password=${encodeURIComponent(PASSWORD)}`,
        }),
        { remoteAddress: '192.0.2.61' },
      ) as Promise<Response>;
    const ok = await from('https://stats.example.com');
    expect(ok.status).toBe(303);
    expect(ok.headers.getSetCookie()[0]).toMatch(/^__Host-skopos_session=/);
    // Not the request's own origin, nor what forwarded headers claim, nor the http twin.
    expect((await from(ORIGIN)).status).toBe(403);
    expect((await from('https://localhost:5173')).status).toBe(403);
    expect((await from('http://stats.example.com')).status).toBe(403);
    expect(
      (
        await from('https://evil.example', {
          'x-forwarded-host': 'evil.example',
          'x-forwarded-proto': 'https',
        })
      ).status,
    ).toBe(403);
    expect((await from(ORIGIN, {}, ORIGIN)).status).toBe(403);
    // Logout is held to the same origin; a client without Origin (curl) still passes.
    expect(
      (await pinned(new Request(`${ORIGIN}${ROUTE}/logout`, { method: 'POST', headers: { origin: ORIGIN } })))
        ?.status,
    ).toBe(403);
    expect((await from(undefined)).status).toBe(303);
  });

  it('answers 400 to a login whose body never arrives whole (the client left), without throwing', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('pass'));
        controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      },
    });
    const response = await post(`${ROUTE}/login`, body, { headers: { 'content-length': '100' } });
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('ends the session on logout: a copy of its cookie no longer reads', async () => {
    const session = sessionOf(await login(PASSWORD));
    expect(dashboard.authorize({ cookie: session })).toBe(true);
    expect((await post(`${ROUTE}/logout`, '', { headers: { cookie: session } })).status).toBe(303);
    expect(dashboard.authorize({ cookie: session })).toBe(false);
    // Another browser's session is not touched.
    expect(dashboard.authorize({ cookie: sessionOf(await login(PASSWORD)) })).toBe(true);
  });

  it('ends every session when the password changes, with the same session secret', async () => {
    const session = sessionOf(await login(PASSWORD));
    const renewed = make({ password: 'a-new-password-for-the-dashboard' });
    expect(dashboard.authorize({ cookie: session })).toBe(true);
    expect(renewed.authorize({ cookie: session })).toBe(false);
  });

  it('clears the cookie on logout', async () => {
    const response = await post(`${ROUTE}/logout`, '');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ROUTE}/login`);
    expect(response.headers.getSetCookie()).toEqual([
      'skopos_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0',
    ]);
    expect((await get(`${ROUTE}/logout`)).status).toBe(405);
  });

  it('never serves the password, the session secret or a key in any page or asset', async () => {
    const session = sessionOf(await login(PASSWORD));
    const bodies: string[] = [];
    const index = await (await get(`${ROUTE}/`, { cookie: session })).text();
    bodies.push(index);
    bodies.push(await (await get(`${ROUTE}/login`)).text());
    bodies.push(await (await login('wrong', { address: '192.0.2.77' })).text());
    for (const asset of assetPaths(index)) bodies.push(await (await get(`${ROUTE}/${asset}`)).text());
    expect(bodies.length).toBeGreaterThan(4);
    for (const body of bodies) {
      expect(body).not.toContain(PASSWORD);
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(session.split('=')[1]);
      expect(body.toLowerCase()).not.toContain('x-tracker-key');
      expect(body).not.toContain('apiKey');
    }
    // Whatever the page needs fits in its config, and that holds only the endpoints.
    expect(Object.keys(injectedConfig(index) as object).sort()).toEqual([
      'login',
      'pingEndpoint',
      'readEndpoint',
    ]);
  });
});
