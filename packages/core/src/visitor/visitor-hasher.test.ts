import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import { createVisitorHasher, legacyAddress } from './visitor-hasher.ts';

const DAY = 86_400_000;
const ua = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0';

function secretStore() {
  const secrets = new Map<string, string>();
  return {
    secrets,
    ensureSecret(key: string, value: string) {
      if (!secrets.has(key)) secrets.set(key, value);
      return secrets.get(key) as string;
    },
  };
}

describe('visitor ids', () => {
  it('legacy mode is the original SDK formula: SHA-256 of "siteId-ip-ua"', () => {
    const hasher = createVisitorHasher({ mode: 'legacy', store: {}, logger: silentLogger });
    const expected = createHash('sha256').update(`site-1-203.0.113.9-${ua}`).digest('hex');
    expect(hasher.ids('site-1', '203.0.113.9', ua, Date.now())).toEqual({ current: expected });
  });

  it("legacy mode hashes 'unknown' for a missing address or user agent, as the original SDK did", () => {
    const hasher = createVisitorHasher({ mode: 'legacy', store: {}, logger: silentLogger });
    const expected = createHash('sha256').update('site-1-unknown-unknown').digest('hex');
    expect(hasher.ids('site-1', '', '', Date.now())).toEqual({ current: expected });
  });

  it("legacy ids take the connection's address as Node gave it when it is the client's", () => {
    expect(legacyAddress({ ip: '203.0.113.7', remoteAddress: '::ffff:203.0.113.7' })).toBe(
      '::ffff:203.0.113.7',
    );
    expect(legacyAddress({ ip: '203.0.113.7', remoteAddress: '203.0.113.7' })).toBe('203.0.113.7');
    // A trusted proxy's X-Forwarded-For named the client: its entry, not the proxy's address.
    expect(legacyAddress({ ip: '198.51.100.4', remoteAddress: '::ffff:127.0.0.1' })).toBe('198.51.100.4');
    expect(legacyAddress({ ip: '198.51.100.4' })).toBe('198.51.100.4');
  });

  it('stable mode keys the hash with the salt kept in the store, so two hashers on one store agree', async () => {
    const store = secretStore();
    const a = createVisitorHasher({ mode: 'stable', store, logger: silentLogger });
    const b = createVisitorHasher({ mode: 'stable', store, logger: silentLogger });
    const idA = await a.ids('site-1', '203.0.113.9', ua, 0);
    const idB = await b.ids('site-1', '203.0.113.9', ua, 0);
    expect(idA.current).toBe(idB.current);
    expect(idA.current).toMatch(/^[0-9a-f]{64}$/);
    expect(store.secrets.size).toBe(1);
    // Not the unkeyed legacy hash: the IP cannot be recovered by hashing every IPv4 address.
    const legacy = createHash('sha256').update(`site-1-203.0.113.9-${ua}`).digest('hex');
    expect(idA.current).not.toBe(legacy);
  });

  it('stable ids differ by site, IP and user agent, and between stores with different salts', async () => {
    const h = createVisitorHasher({ mode: 'stable', store: secretStore(), logger: silentLogger });
    const base = (await h.ids('s', '1.2.3.4', ua, 0)).current;
    expect((await h.ids('t', '1.2.3.4', ua, 0)).current).not.toBe(base);
    expect((await h.ids('s', '1.2.3.5', ua, 0)).current).not.toBe(base);
    expect((await h.ids('s', '1.2.3.4', `${ua} x`, 0)).current).not.toBe(base);
    const other = createVisitorHasher({ mode: 'stable', store: secretStore(), logger: silentLogger });
    expect((await other.ids('s', '1.2.3.4', ua, 0)).current).not.toBe(base);
  });

  it('answers synchronously once the salt is loaded (the hot path)', async () => {
    const h = createVisitorHasher({ mode: 'stable', store: secretStore(), logger: silentLogger });
    await h.ids('s', '1.1.1.1', ua, 0);
    expect(h.ids('s', '2.2.2.2', ua, 0)).not.toBeInstanceOf(Promise);
  });

  it('daily mode rotates the id each UTC day and offers the previous day id for continuity', async () => {
    const store = secretStore();
    const h = createVisitorHasher({ mode: 'daily', store, logger: silentLogger });
    const day1 = await h.ids('s', '1.2.3.4', ua, 10 * DAY + 1000);
    const day1Later = await h.ids('s', '1.2.3.4', ua, 10 * DAY + 80_000_000);
    const day2 = await h.ids('s', '1.2.3.4', ua, 11 * DAY + 1000);
    expect(day1Later.current).toBe(day1.current);
    expect(day2.current).not.toBe(day1.current);
    expect(day2.previous).toBe(day1.current);
    expect([...store.secrets.keys()].every((k) => k.startsWith('visitor-salt:'))).toBe(true);
  });

  it('without a secret-keeping store it uses the `secret` option, and warns when it has neither', async () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const a = createVisitorHasher({ mode: 'stable', store: {}, secret: 's3cret', logger });
    const b = createVisitorHasher({ mode: 'stable', store: {}, secret: 's3cret', logger });
    expect((await a.ids('s', '1.1.1.1', ua, 0)).current).toBe((await b.ids('s', '1.1.1.1', ua, 0)).current);
    expect(warnings).toHaveLength(0);
    const c = createVisitorHasher({ mode: 'stable', store: {}, logger });
    await c.ids('s', '1.1.1.1', ua, 0);
    await c.ids('s', '1.1.1.2', ua, 0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('visitor ids will change');
  });
});
