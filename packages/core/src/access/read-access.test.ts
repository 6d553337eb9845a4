import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../logger.ts';
import { isLocalClient } from './local-client.ts';
import { createReadAccess, presentedReadKey } from './read-access.ts';

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
  it('is true for loopback clients in every spelling', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(isLocalClient({ peer: ip, client: ip, headers: {} })).toBe(true);
    }
  });

  it('is false for other clients and unknown addresses', () => {
    expect(isLocalClient({ peer: '10.0.0.2', client: '10.0.0.2', headers: {} })).toBe(false);
    expect(isLocalClient({ peer: undefined, client: undefined, headers: {} })).toBe(false);
  });

  it('is false for a proxy on this machine forwarding somebody it was not trusted to name', () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      expect(
        isLocalClient({ peer: '127.0.0.1', client: '127.0.0.1', headers: { [header]: '203.0.113.9' } }),
      ).toBe(false);
    }
  });

  it('follows a trusted proxy: the resolved client decides', () => {
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    expect(isLocalClient({ peer: '127.0.0.1', client: '203.0.113.9', headers })).toBe(false);
    expect(
      isLocalClient({ peer: '10.0.0.1', client: '127.0.0.1', headers: { 'x-forwarded-for': '127.0.0.1' } }),
    ).toBe(true);
  });
});
