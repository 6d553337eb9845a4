import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logger.ts';
import { isLocalClient } from './local-client.ts';
import { createReadAccess, presentedReadKey } from './read-access.ts';
import { askReadHook } from './read-hook.ts';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    debug: vi.fn(),
    info: vi.fn(),
    warn: (m: string) => void warnings.push(m),
    error: vi.fn(),
  };
}

const ctx = { component: 'test' };

describe('createReadAccess', () => {
  it('with nothing configured, answers this machine only and names the option in its refusal', () => {
    const access = createReadAccess({}, ctx);
    expect(access.decide({ presentedKey: null, local: true })).toEqual({ allowed: true });
    const refused = access.decide({ presentedKey: 'anything', local: false });
    expect(refused).toMatchObject({ allowed: false, status: 401 });
    expect(refused.allowed === false && refused.reason).toContain('readKey');
  });

  it('with a read key, requires it even from this machine, and the write key no longer reads', () => {
    const access = createReadAccess({ readKey: 'r-secret', apiKey: 'w-public' }, ctx);
    expect(access.decide({ presentedKey: null, local: true }).allowed).toBe(false);
    expect(access.decide({ presentedKey: 'w-public', local: true }).allowed).toBe(false);
    expect(access.decide({ presentedKey: 'r-secret', local: false }).allowed).toBe(true);
    // The write key is refused as what it is (no guess, for the transports' wrong-key limits).
    expect(access.decide({ presentedKey: 'w-public', local: false })).toMatchObject({
      allowed: false,
      status: 401,
      writeKey: true,
      reason: expect.stringMatching(/write key \(apiKey\) does not open reads/),
    });
    expect(access.decide({ presentedKey: 'w-guess', local: false })).not.toHaveProperty('writeKey');
  });

  it('without a read key, the write key opens reads and a warning says so once', () => {
    const logger = recordingLogger();
    const access = createReadAccess({ apiKey: 'w-public' }, { component: 'test', logger });
    expect(access.decide({ presentedKey: 'w-public', local: false }).allowed).toBe(true);
    expect(access.decide({ presentedKey: 'nope', local: false }).allowed).toBe(false);
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('readKey');
  });

  it('a hook that says yes opens reads; it adds readers without shutting out this machine', () => {
    const access = createReadAccess({ hasHook: true }, ctx);
    expect(access.needsHook).toBe(true);
    expect(access.decide({ presentedKey: null, local: false, hookAllows: true }).allowed).toBe(true);
    expect(access.decide({ presentedKey: null, local: false, hookAllows: false }).allowed).toBe(false);
    expect(access.decide({ presentedKey: null, local: true, hookAllows: false }).allowed).toBe(true);
  });

  it('reads: false answers 404 whatever is presented, and warns about nothing', () => {
    const logger = recordingLogger();
    const access = createReadAccess({ reads: false, apiKey: 'k' }, { component: 'test', logger });
    expect(access.enabled).toBe(false);
    expect(access.decide({ presentedKey: 'k', local: true })).toMatchObject({ allowed: false, status: 404 });
    expect(logger.warnings).toEqual([]);
  });

  it('refuses an empty read key at setup', () => {
    expect(() => createReadAccess({ readKey: '' }, ctx)).toThrow(/readKey/);
  });
});

describe('presentedReadKey', () => {
  const from = (headers: Record<string, string>) => presentedReadKey((name) => headers[name]);
  it('reads X-Tracker-Key, else a bearer token', () => {
    expect(from({ 'x-tracker-key': 'a' })).toBe('a');
    expect(from({ authorization: 'Bearer b' })).toBe('b');
    expect(from({ authorization: 'Basic b' })).toBeNull();
    expect(from({})).toBeNull();
  });
});

describe('isLocalClient', () => {
  const host = { host: 'localhost:4242' };
  it('is true for a loopback peer sending to a local name, in every spelling', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(isLocalClient({ peer: ip, headers: host })).toBe(true);
    }
    expect(
      isLocalClient({
        peer: '127.0.0.1',
        headers: { host: '127.0.0.1:4242', origin: 'http://localhost:5173' },
      }),
    ).toBe(true);
  });

  it('is false for other peers and unknown addresses', () => {
    expect(isLocalClient({ peer: '10.0.0.2', headers: host })).toBe(false);
    expect(isLocalClient({ peer: undefined, headers: host })).toBe(false);
  });

  it('is false whenever a header says a proxy forwards somebody, even one naming 127.0.0.1', () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip', 'via', 'x-forwarded-host']) {
      expect(isLocalClient({ peer: '127.0.0.1', headers: { ...host, [header]: '127.0.0.1' } })).toBe(false);
    }
  });

  it("is false over HTTP/1.0: nginx's default proxy_pass, which names nobody", () => {
    // What nginx sends upstream by default: HTTP/1.0, Host = the proxy_pass address, no X-Forwarded-For.
    const nginx = { host: '127.0.0.1:4242', connection: 'close' };
    expect(isLocalClient({ peer: '127.0.0.1', headers: nginx, httpVersion: '1.0' })).toBe(false);
    expect(isLocalClient({ peer: '127.0.0.1', headers: nginx, httpVersion: '1.1' })).toBe(true);
    expect(isLocalClient({ peer: '::1', headers: host, httpVersion: '2.0' })).toBe(true);
  });

  it('is false for a page on another name or origin (DNS rebinding, another site in the same browser)', () => {
    expect(isLocalClient({ peer: '127.0.0.1', headers: { host: 'evil.example:4242' } })).toBe(false);
    expect(isLocalClient({ peer: '127.0.0.1', headers: { ...host, origin: 'https://evil.example' } })).toBe(
      false,
    );
    expect(isLocalClient({ peer: '127.0.0.1', headers: { ...host, origin: 'null' } })).toBe(false);
    expect(isLocalClient({ peer: '127.0.0.1', headers: {} })).toBe(false);
    // An adapter's URL says localhost where the Host header named another site: the header decides.
    const rebound = { host: 'a_b.evil.example' };
    expect(isLocalClient({ peer: '127.0.0.1', headers: rebound, host: 'localhost' })).toBe(false);
    expect(isLocalClient({ peer: '127.0.0.1', headers: host, host: 'evil.example' })).toBe(false);
  });
});

describe('askReadHook', () => {
  it('answers the hook, and refuses on a throw, a non-true answer or no answer in time, saying why', async () => {
    const problems: string[] = [];
    const note = (why: string) => void problems.push(why);
    expect(await askReadHook(() => true, note)).toBe(true);
    expect(await askReadHook(async () => true, note)).toBe(true);
    expect(await askReadHook(() => 'yes', note)).toBe(false);
    expect(
      await askReadHook(() => {
        throw new Error('session store down');
      }, note),
    ).toBe(false);
    expect(await askReadHook(() => new Promise(() => {}), note, 20)).toBe(false);
    expect(problems).toEqual([
      expect.stringContaining('session store down'),
      expect.stringContaining('did not answer within 20 ms'),
    ]);
  });
});
